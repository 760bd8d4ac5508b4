import { describe, expect, it } from 'vitest';
import { MAX_REASON_LENGTH } from '../../shared/command-definitions.ts';
import {
  bySeverity,
  checkPolicyInput,
  chooseCrossed,
  countsAsWarning,
  escalationReason,
  type PolicyTerms,
  policyLine,
  shortDuration,
} from './decide.ts';

const DAY = 86_400;
const policy = (over: Partial<PolicyTerms>): PolicyTerms => ({
  policyNumber: 1,
  warnings: 3,
  withinSeconds: 7 * DAY,
  action: 'mute',
  durationSeconds: 3_600,
  ...over,
});

describe('what counts and what crosses', () => {
  it('counts warnings and AutoMod’s record-only cases, nothing else', () => {
    expect(['warn', 'automod_block', 'automod_flag'].every((a) => countsAsWarning(a as never))).toBe(true);
    expect(['note', 'mute', 'ban', 'kick', 'unmute'].some((a) => countsAsWarning(a as never))).toBe(false);
  });

  it('crosses exactly at the threshold, not below or above', () => {
    const p = policy({});
    expect(chooseCrossed([{ policy: p, count: 2 }])).toBeNull();
    expect(chooseCrossed([{ policy: p, count: 3 }])).toBe(p);
    expect(chooseCrossed([{ policy: p, count: 4 }])).toBeNull();
  });

  it('lets only the most severe of the policies crossed together act', () => {
    const mute = policy({ policyNumber: 1, action: 'mute', durationSeconds: 30 * DAY });
    const kick = policy({ policyNumber: 2, action: 'kick', durationSeconds: null });
    const tempBan = policy({ policyNumber: 3, action: 'ban', durationSeconds: DAY });
    const ban = policy({ policyNumber: 4, action: 'ban', durationSeconds: null });
    expect([mute, ban, kick, tempBan].sort(bySeverity)).toEqual([ban, tempBan, kick, mute]);
    const counted = [mute, kick].map((p) => ({ policy: p, count: 3 }));
    expect(chooseCrossed(counted)).toBe(kick);
    const sameAction = [policy({ policyNumber: 5 }), policy({ policyNumber: 2 })];
    expect(sameAction.sort(bySeverity).map((p) => p.policyNumber)).toEqual([2, 5]);
  });
});

describe('texts', () => {
  it('says durations as moderators type them', () => {
    expect(shortDuration(7 * DAY)).toBe('7d');
    expect(shortDuration(3_600)).toBe('1h');
    expect(shortDuration(5_400)).toBe('1h30m');
    expect(shortDuration(DAY + 12 * 3_600 + 60)).toBe('1d12h');
  });

  it('writes the automatic reason with the warnings it counted', () => {
    expect(escalationReason(policy({}), [12, 15, 19])).toBe(
      'Automatic: 3 warnings within 7d (cases #12, #15, #19)',
    );
    expect(policyLine(policy({ policyNumber: 2 }))).toBe('#2 — at 3 warnings within 7d: mute for 1h');
  });

  it('keeps a 50-warning reason within the reason limit, saying how many it left out', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => 2_000_000_000 + i);
    const reason = escalationReason(policy({ warnings: 50 }), numbers);
    expect(Array.from(reason).length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(reason).toMatch(/^Automatic: 50 warnings within 7d \(cases #2000000000, .* and \d+ more\)$/);
  });
});

describe('checkPolicyInput', () => {
  const input = { warnings: 3, within: '7d', action: 'mute', duration: '1h' };

  it('accepts a policy within the bounds', () => {
    expect(checkPolicyInput(input)).toEqual({
      ok: true,
      terms: { warnings: 3, withinSeconds: 7 * DAY, action: 'mute', durationSeconds: 3_600 },
    });
    expect(checkPolicyInput({ ...input, action: 'ban', duration: null })).toMatchObject({
      ok: true,
      terms: { action: 'ban', durationSeconds: null },
    });
  });

  it('refuses what is out of bounds or does not fit the action', () => {
    const refused = (over: Partial<typeof input> | Record<string, unknown>) => {
      const result = checkPolicyInput({ ...input, ...over } as never);
      return result.ok ? null : result.error;
    };
    expect(refused({ warnings: 1 })).toBe('A policy acts at 2 to 50 warnings.');
    expect(refused({ warnings: 51 })).toBe('A policy acts at 2 to 50 warnings.');
    expect(refused({ within: '30m' })).toBe('`within`: The duration must be at least 1 hour.');
    expect(refused({ within: '2y' })).toBe('`within`: The duration can be at most 1 year.');
    expect(refused({ duration: null })).toBe('A mute needs a duration, e.g. 1h or 7d.');
    expect(refused({ action: 'kick' })).toBe('A kick takes no duration.');
    expect(refused({ action: 'ban', duration: '2y' })).toBe(
      '`duration`: The duration can be at most 1 year.',
    );
    expect(refused({ action: 'warn' })).toBe('The action is one of mute, kick or ban.');
  });
});
