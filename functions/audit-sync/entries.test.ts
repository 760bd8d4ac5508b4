import { type APIAuditLogEntry, AuditLogEvent } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_MODERATOR_ID } from '../../shared/actions.ts';
import { snowflakeAt, snowflakeTime } from '../../shared/snowflakes.ts';
import { byEntryId, type EntryCase, entryOutcome } from './entries.ts';

const BOT = '900000000000000001';
const MOD = '900000000000000002';
const MEMBER = '900000000000000003';
const AT = Date.parse('2026-12-01T10:00:00.000Z');
const ID = (BigInt(snowflakeAt(AT)) + 7n).toString();
const context = { botUserId: BOT, automodModeratorId: BOT };

function entry(fields: Partial<APIAuditLogEntry>): APIAuditLogEntry {
  return { id: ID, action_type: AuditLogEvent.MemberBanAdd, user_id: MOD, target_id: MEMBER, ...fields };
}

function caseOf(e: APIAuditLogEntry): EntryCase {
  const outcome = entryOutcome(e, context);
  if (outcome.kind !== 'case') throw new Error(`skipped: ${outcome.why}`);
  return outcome.case;
}

describe('snowflakes', () => {
  it('reads the time an id was made at, and makes the smallest id of a time', () => {
    expect(snowflakeTime(ID)).toBe(AT);
    expect(snowflakeTime(snowflakeAt(AT))).toBe(AT);
    expect(BigInt(snowflakeAt(AT))).toBeLessThan(BigInt(ID));
  });

  it('sorts ids as numbers, not as text', () => {
    const ids = [{ id: '100000000000000000' }, { id: '99999999999999999' }, { id: '100000000000000001' }];
    expect([...ids].sort(byEntryId).map((e) => e.id)).toEqual([
      '99999999999999999',
      '100000000000000000',
      '100000000000000001',
    ]);
  });
});

describe('entryOutcome', () => {
  it('turns a human ban, unban and kick into cases by that moderator, dated at the entry', () => {
    for (const [type, action] of [
      [AuditLogEvent.MemberBanAdd, 'ban'],
      [AuditLogEvent.MemberBanRemove, 'unban'],
      [AuditLogEvent.MemberKick, 'kick'],
    ] as const) {
      expect(caseOf(entry({ action_type: type, reason: 'spam links' }))).toMatchObject({
        auditEntryId: ID,
        action,
        userId: MEMBER,
        moderatorId: MOD,
        reason: 'spam links',
        source: 'discord',
        automodRule: null,
        expiresAt: null,
        at: new Date(AT),
        bulkBan: false,
      });
    }
  });

  it('skips what Lockdown did itself', () => {
    expect(entryOutcome(entry({ user_id: BOT }), context)).toEqual({ kind: 'skip', why: 'own' });
  });

  it('records a bulk ban without an actor with the moderator unknown, marked for the /massban check', () => {
    const c = caseOf(entry({ user_id: null, reason: 'raid' }));
    expect(c).toMatchObject({ action: 'ban', moderatorId: UNKNOWN_MODERATOR_ID, bulkBan: true });
  });

  it('reads a timeout set as a mute ending at its new value, and a timeout cleared as an unmute', () => {
    const until = '2026-12-08T10:00:00.000Z';
    const set = entry({
      action_type: AuditLogEvent.MemberUpdate,
      changes: [{ key: 'communication_disabled_until', new_value: until }],
      reason: 'cool off',
    });
    expect(caseOf(set)).toMatchObject({
      action: 'mute',
      expiresAt: new Date(until),
      timeoutUntil: new Date(until),
      reason: 'cool off',
    });
    const cleared = entry({
      action_type: AuditLogEvent.MemberUpdate,
      changes: [{ key: 'communication_disabled_until', old_value: until }],
    });
    expect(caseOf(cleared)).toMatchObject({ action: 'unmute', expiresAt: null, reason: null });
    const past = entry({
      action_type: AuditLogEvent.MemberUpdate,
      changes: [{ key: 'communication_disabled_until', new_value: '2026-12-01T09:00:00.000Z' }],
    });
    expect(caseOf(past).action).toBe('unmute');
  });

  it('skips member updates that leave the timeout alone, and kinds that are no case', () => {
    const nick = entry({
      action_type: AuditLogEvent.MemberUpdate,
      changes: [{ key: 'nick', new_value: 'x' }],
    });
    expect(entryOutcome(nick, context)).toEqual({ kind: 'skip', why: 'no_timeout_change' });
    expect(entryOutcome(entry({ action_type: AuditLogEvent.ChannelUpdate }), context)).toEqual({
      kind: 'skip',
      why: 'other_kind',
    });
    expect(entryOutcome(entry({ target_id: null }), context)).toEqual({ kind: 'skip', why: 'no_target' });
  });

  it("records AutoMod's timeout, block and flag with the rule, source automod, no reason", () => {
    const options = {
      auto_moderation_rule_name: 'Block spam content',
      auto_moderation_rule_trigger_type: '1',
      channel_id: '900000000000000009',
    };
    for (const [type, action] of [
      [AuditLogEvent.AutoModerationUserCommunicationDisabled, 'mute'],
      [AuditLogEvent.AutoModerationBlockMessage, 'automod_block'],
      [AuditLogEvent.AutoModerationFlagToChannel, 'automod_flag'],
    ] as const) {
      const c = caseOf(
        entry({
          action_type: type,
          user_id: MEMBER,
          target_id: MEMBER,
          options,
        } as Partial<APIAuditLogEntry>),
      );
      expect(c).toMatchObject({
        action,
        userId: MEMBER,
        moderatorId: BOT,
        source: 'automod',
        automodRule: 'Block spam content',
        reason: null,
        timeoutEndUnknown: action === 'mute',
      });
    }
  });
});
