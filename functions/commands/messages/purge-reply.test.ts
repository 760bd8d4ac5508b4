// /purge's replies: counts in words that agree (1 message, 2 messages), each reason for leaving a
// message, and the honest texts for a purge that could not be logged or confirmed.
import { describe, expect, it } from 'vitest';
import { NOT_LOGGED } from '../../moderation/audit.ts';
import type { PurgePlan } from './purge-plan.ts';
import { deletedText, nothingToDeleteText, unconfirmedText } from './purge-reply.ts';

const plan = (fields: Partial<PurgePlan>): PurgePlan => ({
  scanned: 10,
  matched: 10,
  bulk: [],
  single: null,
  tooOld: 0,
  pinned: 0,
  ...fields,
});

describe('deletedText', () => {
  it('names the member and the channel, and adds what was skipped or kept', () => {
    expect(deletedText({ channelId: '1', authorId: '2', plan: plan({ tooOld: 3 }), deleted: 12 })).toBe(
      '🧹 Deleted 12 messages by <@2> in <#1>. 3 were older than 14 days and were skipped (Discord does not bulk-delete those).',
    );
    expect(
      deletedText({ channelId: '1', authorId: null, plan: plan({ tooOld: 1, pinned: 2 }), deleted: 1 }),
    ).toBe(
      '🧹 Deleted 1 message in <#1>. 1 was older than 14 days and was skipped (Discord does not bulk-delete those). 2 pinned messages were kept.',
    );
  });
});

describe('nothingToDeleteText', () => {
  it('says why nothing could go', () => {
    expect(
      nothingToDeleteText({ channelId: '1', authorId: null, plan: plan({ scanned: 0, matched: 0 }) }),
    ).toBe('There are no messages in <#1> to delete.');
    expect(
      nothingToDeleteText({ channelId: '1', authorId: '2', plan: plan({ scanned: 1, matched: 0 }) }),
    ).toBe('The last message in <#1> is not by <@2>. Nothing was deleted.');
    expect(nothingToDeleteText({ channelId: '1', authorId: null, plan: plan({ matched: 0 }) })).toBe(
      'None of the last 10 messages in <#1> can be deleted (system messages). Nothing was deleted.',
    );
    expect(
      nothingToDeleteText({ channelId: '1', authorId: '2', plan: plan({ matched: 1, pinned: 1 }) }),
    ).toBe(
      'Nothing was deleted: of the one message by <@2> among the last 10 messages in <#1>, 1 is pinned (pinned messages are kept).',
    );
    expect(nothingToDeleteText({ channelId: '1', authorId: null, plan: plan({ tooOld: 10 }) })).toBe(
      'Nothing was deleted: of the last 10 messages in <#1>, 10 are older than 14 days (Discord does not bulk-delete those).',
    );
  });
});

describe('failure texts', () => {
  it('never claim a mod-log line or a deletion that may not exist', () => {
    expect(NOT_LOGGED).toMatch(/no mod-log entry/);
    const text = unconfirmedText({ channelId: '1', authorId: null, plan: plan({}) }, 5);
    expect(text).toMatch(/some or all of the 5 messages in <#1> may have been deleted/);
    expect(text).toMatch(/Nothing was recorded in the mod-log\.$/);
  });
});
