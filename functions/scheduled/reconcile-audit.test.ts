import { type APIAuditLogEntry, AuditLogEvent } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { snowflakeAt } from '../../shared/snowflakes.ts';
import { CLOCK_SKEW_MS, ownEntryFor } from './reconcile-audit.ts';

const BOT = '900000000000000001';
const MOD = '900000000000000002';
const MEMBER = '900000000000000003';
const OTHER = '900000000000000004';
const CREATED = new Date('2026-12-01T10:00:00.000Z');
const HOUR = 3_600_000;

let sequence = 0n;
/** An entry dated `offsetMs` after the intent was written. */
function entry(offsetMs: number, fields: Partial<APIAuditLogEntry> = {}): APIAuditLogEntry {
  sequence += 1n;
  return {
    id: (BigInt(snowflakeAt(CREATED.getTime() + offsetMs)) + sequence).toString(),
    action_type: AuditLogEvent.MemberBanAdd,
    user_id: BOT,
    target_id: MEMBER,
    ...fields,
  };
}

const timeout = (offsetMs: number, until: Date | null, fields: Partial<APIAuditLogEntry> = {}) =>
  entry(offsetMs, {
    action_type: AuditLogEvent.MemberUpdate,
    changes: [{ key: 'communication_disabled_until', new_value: until?.toISOString() } as never],
    ...fields,
  });

const ban = {
  action: 'ban' as const,
  userId: MEMBER,
  createdAt: CREATED,
  expiresAt: null,
  discordAcceptedAt: null,
};

describe('ownEntryFor', () => {
  it("finds the bot's entry of the action about the member, from the intent on", () => {
    const found = entry(1_500, { reason: 'spam' });
    expect(ownEntryFor(ban, [found], BOT)).toMatchObject({
      auditEntryId: found.id,
      action: 'ban',
      userId: MEMBER,
    });
  });

  it('ignores entries made by someone else, about someone else, of another kind, or before the intent', () => {
    const entries = [
      entry(1_000, { user_id: MOD }),
      entry(1_000, { target_id: OTHER }),
      entry(1_000, { action_type: AuditLogEvent.MemberKick }),
      entry(-CLOCK_SKEW_MS - 1_000),
    ];
    expect(ownEntryFor(ban, entries, BOT)).toBeNull();
  });

  it("allows Discord's clock to run a little behind the database's", () => {
    const early = entry(-CLOCK_SKEW_MS + 1_000);
    expect(ownEntryFor(ban, [early], BOT)?.auditEntryId).toBe(early.id);
  });

  it('takes the earliest match when the bot did it more than once since (newest-first pages)', () => {
    const first = entry(2_000);
    const again = entry(HOUR);
    expect(ownEntryFor(ban, [again, first], BOT)?.auditEntryId).toBe(first.id);
  });

  it("matches a mute only by the timeout's end the mute meant to set", () => {
    const mute = { ...ban, action: 'mute' as const, expiresAt: new Date(CREATED.getTime() + HOUR) };
    const meant = timeout(1_000, new Date(CREATED.getTime() + HOUR + 2_000));
    const other = timeout(1_000, new Date(CREATED.getTime() + 5 * HOUR));
    expect(ownEntryFor(mute, [other], BOT)).toBeNull();
    expect(ownEntryFor(mute, [other, meant], BOT)?.auditEntryId).toBe(meant.id);
  });

  it('reads an unmute from a timeout cleared by the bot, and never from a timeout set', () => {
    const unmute = { ...ban, action: 'unmute' as const };
    const set = timeout(1_000, new Date(CREATED.getTime() + HOUR));
    const cleared = timeout(2_000, null);
    expect(ownEntryFor(unmute, [set], BOT)).toBeNull();
    expect(ownEntryFor(unmute, [set, cleared], BOT)?.auditEntryId).toBe(cleared.id);
  });
});
