import { describe, expect, it } from 'vitest';
import {
  fitLines,
  MESSAGE_LIMIT,
  massbanCustomId,
  previewButtons,
  previewText,
  summaryText,
} from './replies.ts';

const at = new Date('2026-01-01T00:15:00Z');

describe('previewText', () => {
  it('says how many will be banned and who is skipped, grouped by why', () => {
    const text = previewText({
      userIds: ['1', '2', '3'],
      banSeconds: 86_400,
      reason: 'raid',
      confirmBy: at,
      uncheckedBans: 0,
      skipped: [
        { userId: 'abc', why: 'invalid' },
        { userId: '9', why: 'owner' },
        { userId: '8', why: 'banned' },
        { userId: '7', why: 'banned' },
      ],
    });
    expect(text).toContain('**3 users** will be banned for 1 day. Reason: raid');
    expect(text).toContain('Skipped 4 entries:');
    expect(text).toContain('- not a valid user ID (1): `abc`');
    expect(text).toContain('- the server owner (1): <@9>');
    expect(text).toContain('- already banned (2): <@8>, <@7>');
    expect(text).toContain(`<t:${at.getTime() / 1000}:t>`);
  });

  it('stays within the message limit with thousands of skips', () => {
    const skipped = Array.from({ length: 5000 }, (_, i) => ({
      userId: String(10n ** 18n + BigInt(i)),
      why: (['banned', 'rank_bot', 'rank_moderator', 'invalid'] as const)[i % 4] as 'banned',
    }));
    const text = previewText({
      userIds: [],
      banSeconds: null,
      reason: 'r'.repeat(512),
      confirmBy: at,
      skipped,
      uncheckedBans: 3,
    });
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(text).toContain('and 1,235 more');
  });
});

describe('fitLines', () => {
  it('drops whole lines and says how many', () => {
    const lines = Array.from({ length: 100 }, () => 'x'.repeat(99));
    const text = fitLines(lines);
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(text.endsWith('more lines')).toBe(true);
  });
});

describe('previewButtons', () => {
  it('carries the massban id in both custom ids', () => {
    const [row] = previewButtons('5f0c');
    expect(row?.components.map((c) => ('custom_id' in c ? c.custom_id : null))).toEqual([
      massbanCustomId('confirm', '5f0c'),
      'massban:cancel:5f0c',
    ]);
  });
});

describe('summaryText', () => {
  it('gives the case range and names the users Discord did not ban', () => {
    const text = summaryText(
      { userIds: ['1', '2', '3'], bannedCount: 2, failedUserIds: ['3'], banSeconds: null },
      { first: 4, last: 5 },
      new Map([['3', 'Raider']]),
      false,
    );
    expect(text).toContain('Banned 2 users — cases #4–#5.');
    expect(text).toContain('Discord did not ban 1 user: **Raider** (<@3>).');
  });

  it("explains Discord's 500000 when it banned none", () => {
    const text = summaryText(
      { userIds: ['1'], bannedCount: 0, failedUserIds: ['1'], banSeconds: null },
      null,
      new Map(),
      true,
    );
    expect(text).toContain('Nobody was banned.');
    expect(text).toContain('error 500000');
  });
});
