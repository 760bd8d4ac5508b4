import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../db/schema.ts';
import { DISCORD_TIMEOUT_CAP_MS } from '../../shared/command-definitions.ts';
import {
  decide,
  type IntentFacts,
  intendedTimeoutEnd,
  probeFor,
  TIMEOUT_MATCH_TOLERANCE_MS,
} from './reconcile-plan.ts';

const DAY = 86_400_000;
const created = new Date('2026-03-01T12:00:00Z');
const now = new Date(created.getTime() + 5 * 60_000);
const intent = (action: CaseAction, extra: Partial<IntentFacts> = {}): IntentFacts => ({
  action,
  createdAt: created,
  expiresAt: null,
  discordAcceptedAt: null,
  ...extra,
});

describe('probeFor', () => {
  it('asks Discord about what each action changes, and nothing when Discord already confirmed', () => {
    expect(probeFor(intent('ban'))).toBe('ban');
    expect(probeFor(intent('unban'))).toBe('ban');
    expect(probeFor(intent('kick'))).toBe('member');
    expect(probeFor(intent('mute'))).toBe('member');
    expect(probeFor(intent('unmute'))).toBe('member');
    expect(probeFor(intent('warn'))).toBe('none');
    expect(probeFor(intent('ban', { discordAcceptedAt: created }))).toBe('none');
  });
});

describe('decide', () => {
  it('records what Discord accepted, and warnings, without asking', () => {
    expect(decide(intent('kick', { discordAcceptedAt: created }), { kind: 'none' }, now).verdict).toBe(
      'record',
    );
    expect(decide(intent('warn'), { kind: 'none' }, now).verdict).toBe('record');
  });

  it('bans and unbans follow whether the ban exists', () => {
    expect(decide(intent('ban'), { kind: 'ban', banned: true }, now).verdict).toBe('record');
    expect(decide(intent('ban'), { kind: 'ban', banned: false }, now).verdict).toBe('drop');
    expect(decide(intent('unban'), { kind: 'ban', banned: false }, now).verdict).toBe('record');
    expect(decide(intent('unban'), { kind: 'ban', banned: true }, now).verdict).toBe('drop');
  });

  it('a kick happened when the member is gone', () => {
    expect(decide(intent('kick'), { kind: 'member', present: false }, now).verdict).toBe('record');
    expect(decide(intent('kick'), { kind: 'member', present: true, timeoutUntil: null }, now).verdict).toBe(
      'drop',
    );
  });

  it('a mute happened when the timeout sits near the end the command meant to set', () => {
    const shortMute = intent('mute', { expiresAt: new Date(created.getTime() + 2 * DAY) });
    const near = new Date(created.getTime() + 2 * DAY + 30_000);
    expect(decide(shortMute, { kind: 'member', present: true, timeoutUntil: near }, now)).toEqual({
      verdict: 'record',
      timeoutUntil: near,
    });
    const far = new Date(created.getTime() + 2 * DAY + TIMEOUT_MATCH_TOLERANCE_MS + 60_000);
    expect(decide(shortMute, { kind: 'member', present: true, timeoutUntil: far }, now).verdict).toBe('drop');
    expect(decide(shortMute, { kind: 'member', present: true, timeoutUntil: null }, now).verdict).toBe(
      'drop',
    );
    expect(decide(shortMute, { kind: 'member', present: false }, now).verdict).toBe('drop');

    // A 60-day mute set Discord's longest timeout, not 60 days.
    const longMute = intent('mute', { expiresAt: new Date(created.getTime() + 60 * DAY) });
    const capped = intendedTimeoutEnd(longMute) as Date;
    expect(capped.getTime()).toBeLessThanOrEqual(created.getTime() + DISCORD_TIMEOUT_CAP_MS);
    expect(decide(longMute, { kind: 'member', present: true, timeoutUntil: capped }, now)).toEqual({
      verdict: 'record',
      timeoutUntil: capped,
    });
  });

  it('records the intended timeout for an accepted mute', () => {
    const accepted = intent('mute', {
      expiresAt: new Date(created.getTime() + 60 * DAY),
      discordAcceptedAt: created,
    });
    const verdict = decide(accepted, { kind: 'none' }, now);
    expect(verdict).toEqual({ verdict: 'record', timeoutUntil: intendedTimeoutEnd(accepted) });
  });

  it('an unmute happened when no timeout runs', () => {
    const past = new Date(now.getTime() - 1000);
    const future = new Date(now.getTime() + DAY);
    expect(decide(intent('unmute'), { kind: 'member', present: true, timeoutUntil: null }, now).verdict).toBe(
      'record',
    );
    expect(decide(intent('unmute'), { kind: 'member', present: true, timeoutUntil: past }, now).verdict).toBe(
      'record',
    );
    expect(
      decide(intent('unmute'), { kind: 'member', present: true, timeoutUntil: future }, now).verdict,
    ).toBe('drop');
  });
});
