// The /purge plan: the author filter, Discord's 14 days with the safety margin, pinned messages
// kept, undeletable system messages left out, and when one message means a plain DELETE.
import { MessageType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { BULK_DELETE_MAX_AGE_MS } from '../../../shared/command-definitions.ts';
import { snowflakeAt } from '../../../shared/snowflakes.ts';
import {
  BULK_DELETE_SAFETY_MARGIN_MS,
  deletableCount,
  type PurgeCandidate,
  planPurge,
} from './purge-plan.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
let low = 0n;

function message(ageMs: number, authorId = 'a', extra: Partial<PurgeCandidate> = {}): PurgeCandidate {
  low += 1n;
  return {
    id: snowflakeAt(NOW - ageMs, low),
    type: MessageType.Default,
    pinned: false,
    author: { id: authorId },
    ...extra,
  };
}

describe('planPurge', () => {
  it('bulk-deletes every recent message when no member is named', () => {
    const messages = [message(MINUTE, 'a'), message(2 * MINUTE, 'b'), message(DAY, 'a')];
    const plan = planPurge(messages, null, NOW);
    expect(plan).toEqual({
      scanned: 3,
      matched: 3,
      bulk: messages.map((m) => m.id),
      single: null,
      tooOld: 0,
      pinned: 0,
    });
    expect(deletableCount(plan)).toBe(3);
  });

  it("keeps only the named member's messages", () => {
    const mine = [message(MINUTE, 'x'), message(3 * MINUTE, 'x')];
    const plan = planPurge(
      [mine[0]!, message(2 * MINUTE, 'y'), mine[1]!, message(4 * MINUTE, 'z')],
      'x',
      NOW,
    );
    expect(plan.scanned).toBe(4);
    expect(plan.matched).toBe(2);
    expect(plan.bulk).toEqual(mine.map((m) => m.id));
  });

  it('skips messages older than 14 days, with a minute to spare, and counts them', () => {
    const recent = [message(MINUTE), message(13 * DAY)];
    const inMargin = message(BULK_DELETE_MAX_AGE_MS - BULK_DELETE_SAFETY_MARGIN_MS / 2);
    const old = [message(BULK_DELETE_MAX_AGE_MS + 1), message(30 * DAY)];
    const plan = planPurge([...recent, inMargin, ...old], null, NOW);
    expect(plan.bulk).toEqual(recent.map((m) => m.id));
    expect(plan.tooOld).toBe(3);
    expect(plan.matched).toBe(5);
  });

  it('one deletable message is a plain DELETE, not a bulk delete', () => {
    const only = message(MINUTE, 'x');
    const plan = planPurge([only, message(MINUTE, 'y'), message(20 * DAY, 'x')], 'x', NOW);
    expect(plan.bulk).toEqual([]);
    expect(plan.single).toBe(only.id);
    expect(plan.tooOld).toBe(1);
    expect(deletableCount(plan)).toBe(1);
  });

  it('nothing deletable: no ids at all', () => {
    const plan = planPurge([message(MINUTE, 'y'), message(20 * DAY, 'x')], 'x', NOW);
    expect(plan).toMatchObject({ bulk: [], single: null, matched: 1, tooOld: 1 });
    expect(deletableCount(plan)).toBe(0);
    expect(planPurge([], null, NOW)).toMatchObject({ scanned: 0, matched: 0, bulk: [], single: null });
  });

  it('keeps pinned messages, whatever their age, and counts them', () => {
    const pinned = [message(MINUTE, 'a', { pinned: true }), message(20 * DAY, 'a', { pinned: true })];
    const loose = [message(2 * MINUTE), message(3 * MINUTE)];
    const plan = planPurge([...pinned, ...loose], null, NOW);
    expect(plan.bulk).toEqual(loose.map((m) => m.id));
    expect(plan.pinned).toBe(2);
    expect(plan.tooOld).toBe(0);
  });

  it('leaves out messages Discord cannot delete, and never sends an id twice', () => {
    const starter = message(MINUTE, 'a', { type: MessageType.ThreadStarterMessage });
    const reply = message(2 * MINUTE, 'a', { type: MessageType.Reply });
    const plain = message(3 * MINUTE);
    const plan = planPurge([starter, reply, plain, plain], null, NOW);
    expect(plan.bulk).toEqual([reply.id, plain.id]);
    expect(plan.matched).toBe(2);
    expect(plan.scanned).toBe(3);
  });

  it('looks at one page at most (100 messages)', () => {
    const messages = Array.from({ length: 120 }, (_, i) => message((i + 1) * MINUTE));
    const plan = planPurge(messages, null, NOW);
    expect(plan.scanned).toBe(100);
    expect(plan.bulk).toEqual(messages.slice(0, 100).map((m) => m.id));
  });
});
