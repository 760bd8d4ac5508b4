// The audit log's pure parts: entry shapes, ids and the 45 days, the query check, and which page a
// query selects in which order.
import { type APIAuditLogEntry, AuditLogEvent } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { snowflakeTime } from '../../shared/snowflakes.ts';
import {
  AUDIT_LOG_RETENTION_MS,
  AuditLog,
  autoModEntry,
  change,
  channelUpdateEntry,
  memberEntry,
  messageDeleteEntry,
  overwriteEntry,
  timeoutEntry,
  webhookEntry,
} from './audit-log.ts';
import { checkAuditLogQuery, referencedUserIds, selectEntries } from './audit-log-query.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');

describe('entry shapes', () => {
  it('leaves out a null side of a change, and writes no change when nothing changed', () => {
    expect(change('k', null, 'b')).toEqual({ key: 'k', new_value: 'b' });
    expect(change('k', 'a', null)).toEqual({ key: 'k', old_value: 'a' });
    expect(change('k', 'a', 'b')).toEqual({ key: 'k', old_value: 'a', new_value: 'b' });
    expect(change('k', 'a', 'a')).toBeNull();
    expect(change('k', null, undefined)).toBeNull();
  });

  it('a timeout set, then removed, is MEMBER_UPDATE with communication_disabled_until', () => {
    const until = '2026-06-01T13:00:00.000000+00:00';
    expect(timeoutEntry('9', '5', null, until, 'spam')).toEqual({
      action_type: AuditLogEvent.MemberUpdate,
      user_id: '9',
      target_id: '5',
      changes: [{ key: 'communication_disabled_until', new_value: until }],
      reason: 'spam',
    });
    expect(timeoutEntry('9', '5', until, null, null)).toEqual({
      action_type: AuditLogEvent.MemberUpdate,
      user_id: '9',
      target_id: '5',
      changes: [{ key: 'communication_disabled_until', old_value: until }],
    });
    expect(timeoutEntry('9', '5', until, until, null)).toBeNull();
  });

  it('bans, unbans and kicks have no changes; a missing reason is left out', () => {
    expect(memberEntry(AuditLogEvent.MemberBanAdd, null, '5', null)).toEqual({
      action_type: 22,
      user_id: null,
      target_id: '5',
    });
    expect(memberEntry(AuditLogEvent.MemberKick, '9', '5', 'bye').reason).toBe('bye');
  });

  it('slowmode is a CHANNEL_UPDATE of rate_limit_per_user on the channel', () => {
    const before = { name: 'general', rate_limit_per_user: 0 };
    expect(channelUpdateEntry('9', '7', before, { name: 'general', rate_limit_per_user: 30 }, null)).toEqual({
      action_type: AuditLogEvent.ChannelUpdate,
      user_id: '9',
      target_id: '7',
      changes: [{ key: 'rate_limit_per_user', old_value: 0, new_value: 30 }],
    });
    expect(channelUpdateEntry('9', '7', before, before, null)).toBeNull();
  });

  it('overwrites: create with every field, update with allow/deny, delete with old values; options name the role', () => {
    const role = { id: '3', type: 0 as const, allow: '0', deny: '2048' };
    const created = overwriteEntry('9', '7', undefined, role, 'everyone', 'lock');
    expect(created).toEqual({
      action_type: AuditLogEvent.ChannelOverwriteCreate,
      user_id: '9',
      target_id: '7',
      changes: [
        { key: 'id', new_value: '3' },
        { key: 'type', new_value: 0 },
        { key: 'allow', new_value: '0' },
        { key: 'deny', new_value: '2048' },
      ],
      options: { id: '3', type: '0', role_name: 'everyone' },
      reason: 'lock',
    });
    const updated = overwriteEntry('9', '7', role, { ...role, deny: '0' }, 'everyone', null);
    expect(updated?.action_type).toBe(AuditLogEvent.ChannelOverwriteUpdate);
    expect(updated?.changes).toEqual([{ key: 'deny', old_value: '2048', new_value: '0' }]);
    expect(overwriteEntry('9', '7', role, role, 'everyone', null)).toBeNull();
    const member = { id: '5', type: 1 as const, allow: '1024', deny: '0' };
    const deleted = overwriteEntry('9', '7', member, undefined, undefined, null);
    expect(deleted?.action_type).toBe(AuditLogEvent.ChannelOverwriteDelete);
    expect(deleted?.options).toEqual({ id: '5', type: '1' });
    expect(deleted?.changes).toContainEqual({ key: 'allow', old_value: '1024' });
  });

  it('webhooks, message deletes and AutoMod carry what Discord puts in them', () => {
    const hook = { id: '8', name: 'Lockdown', channelId: '7' };
    expect(webhookEntry(AuditLogEvent.WebhookCreate, '9', hook, null).changes).toEqual([
      { key: 'channel_id', new_value: '7' },
      { key: 'name', new_value: 'Lockdown' },
      { key: 'type', new_value: 1 },
    ]);
    expect(webhookEntry(AuditLogEvent.WebhookDelete, '9', hook, null).changes?.[1]).toEqual({
      key: 'name',
      old_value: 'Lockdown',
    });
    expect(messageDeleteEntry('9', '5', '7', null).options).toEqual({ channel_id: '7', count: '1' });
    expect(
      autoModEntry(
        AuditLogEvent.AutoModerationUserCommunicationDisabled,
        '5',
        { name: 'spam', triggerType: 1 },
        null,
      ),
    ).toEqual({
      action_type: 145,
      user_id: '5',
      target_id: '5',
      options: { auto_moderation_rule_name: 'spam', auto_moderation_rule_trigger_type: '1', channel_id: '' },
    });
  });
});

describe('the log', () => {
  const draft = memberEntry(AuditLogEvent.MemberKick, '9', '5', null);

  it('gives time-ordered, distinct ids, also within one millisecond and for entries dated in the past', () => {
    const log = new AuditLog();
    const a = log.add(draft, T0);
    const b = log.add(draft, T0);
    const past = log.add(draft, T0 - 60_000);
    const again = log.add(draft, T0 - 60_000);
    expect(snowflakeTime(a.id)).toBe(T0);
    expect(BigInt(b.id)).toBeGreaterThan(BigInt(a.id));
    expect(snowflakeTime(past.id)).toBe(T0 - 60_000);
    expect(again.id).not.toBe(past.id);
    expect(log.read(T0).map((e) => e.id)).toEqual(
      [a, b, past, again].map((e) => e.id).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)),
    );
  });

  it('keeps entries 45 days and drops older ones when read', () => {
    const log = new AuditLog();
    const old = log.add(draft, T0 - AUDIT_LOG_RETENTION_MS - 1);
    const kept = log.add(draft, T0 - AUDIT_LOG_RETENTION_MS);
    expect(log.read(T0 - 1000).map((e) => e.id)).toEqual([old.id, kept.id]);
    expect(log.read(T0).map((e) => e.id)).toEqual([kept.id]);
    expect(log.size).toBe(1);
    expect(log.read(T0 + 10_000).length).toBe(0);
  });
});

describe('Get Guild Audit Log query', () => {
  const q = (text: string) => checkAuditLogQuery(new URLSearchParams(text));

  it('defaults to 50 entries and reads every filter', () => {
    expect(q('')).toEqual({
      ok: true,
      value: { userId: null, targetId: null, actionType: null, before: null, after: null, limit: 50 },
    });
    expect(q('user_id=9&target_id=5&action_type=22&before=100&after=10&limit=100')).toEqual({
      ok: true,
      value: { userId: '9', targetId: '5', actionType: 22, before: 100n, after: 10n, limit: 100 },
    });
  });

  it('refuses limits outside 1..100, non-snowflakes and unknown action types with the field tree', () => {
    const bad = q('limit=101&after=x&action_type=9999&user_id=-1');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(['action_type', 'after', 'limit', 'user_id']);
    expect(q('limit=0').ok).toBe(false);
    expect(q('action_type=ban').ok).toBe(false);
  });
});

describe('pages', () => {
  const log = new AuditLog();
  const entries: APIAuditLogEntry[] = [];
  for (let n = 0; n < 10; n++) {
    const actor = n % 2 === 0 ? 'even' : 'odd';
    const kind = n % 3 === 0 ? AuditLogEvent.MemberBanAdd : AuditLogEvent.MemberKick;
    entries.push(log.add(memberEntry(kind, actor, `t${n}`, null), T0 + n));
  }
  const all = log.read(T0);
  const query = (over: Partial<ReturnType<typeof base>>) => ({ ...base(), ...over });
  const base = () => ({
    userId: null as string | null,
    targetId: null as string | null,
    actionType: null as number | null,
    before: null as bigint | null,
    after: null as bigint | null,
    limit: 50,
  });
  const targets = (page: APIAuditLogEntry[]) => page.map((e) => e.target_id);

  it('newest first without a cursor and with before', () => {
    expect(targets(selectEntries(all, query({ limit: 3 })))).toEqual(['t9', 't8', 't7']);
    expect(targets(selectEntries(all, query({ before: BigInt(entries[5]!.id), limit: 2 })))).toEqual([
      't4',
      't3',
    ]);
  });

  it('with after: the entries just after the cursor, oldest first (Discord documents the reversal)', () => {
    expect(targets(selectEntries(all, query({ after: BigInt(entries[2]!.id), limit: 3 })))).toEqual([
      't3',
      't4',
      't5',
    ]);
    expect(targets(selectEntries(all, query({ after: 0n, limit: 2 })))).toEqual(['t0', 't1']);
    const window = query({ after: BigInt(entries[2]!.id), before: BigInt(entries[5]!.id) });
    expect(targets(selectEntries(all, window))).toEqual(['t3', 't4']);
  });

  it('paging forward with after reaches every entry once', () => {
    const seen: string[] = [];
    let cursor = 0n;
    for (;;) {
      const page = selectEntries(all, query({ after: cursor, limit: 3 }));
      if (!page.length) break;
      seen.push(...targets(page).map(String));
      cursor = BigInt(page.at(-1)!.id);
    }
    expect(seen).toEqual(entries.map((e) => e.target_id));
  });

  it('filters by actor, target and action type, and lists actors and user targets once', () => {
    expect(
      targets(selectEntries(all, query({ userId: 'odd', actionType: AuditLogEvent.MemberBanAdd }))),
    ).toEqual(['t9', 't3']);
    expect(targets(selectEntries(all, query({ targetId: 't4' })))).toEqual(['t4']);
    expect(referencedUserIds(selectEntries(all, query({ limit: 3 })))).toEqual([
      'odd',
      't9',
      'even',
      't8',
      't7',
    ]);
  });
});
