// A guild's audit log as Discord keeps it, as pure data: entries with time-ordered snowflake ids,
// kept 45 days, and the shapes Discord gives the entries the stand-in writes (the `changes` of
// member timeouts, channel slowmode and names, permission overwrites and webhooks; the `options` of
// overwrites, message deletes, bulk deletes and AutoMod). Get Guild Audit Log's query check and page
// selection are in audit-log-query.ts. Sources: discord-api-docs docs/resources/audit-log.mdx and
// openapi.json's AuditLogEntryResponse (`id`, `action_type`, `user_id`, `target_id` always present;
// `changes`, `options`, `reason` only when there is something to say).
import {
  type APIAuditLogChange,
  type APIAuditLogEntry,
  type APIAuditLogOptions,
  type APIOverwrite,
  AuditLogEvent,
} from 'discord-api-types/v10';
import { AUDIT_LOG_RETENTION_MS } from '../../shared/command-definitions.ts';
import { snowflakeAt, snowflakeTime } from '../../shared/snowflakes.ts';

// "All audit log entries are stored for 45 days": AUDIT_LOG_RETENTION_MS.
export { AUDIT_LOG_RETENTION_MS };

/** What an action writes; the log gives it its id. */
export type AuditEntryDraft = Omit<APIAuditLogEntry, 'id'>;

/**
 * One change as Discord writes it: a side that is null is left out ("if old_value isn't included,
 * the property was previously null"; no new_value: reset to null); no change at all when equal.
 */
export function change(key: string, oldValue: unknown, newValue: unknown): APIAuditLogChange | null {
  if (oldValue === newValue || (oldValue == null && newValue == null)) return null;
  return {
    key,
    ...(oldValue == null ? {} : { old_value: oldValue }),
    ...(newValue == null ? {} : { new_value: newValue }),
  } as APIAuditLogChange;
}

const present = (changes: (APIAuditLogChange | null)[]) =>
  changes.filter((c): c is APIAuditLogChange => c !== null);

/** MEMBER_UPDATE for a timeout set, changed or removed; null when the value stays the same. */
export function timeoutEntry(
  actorId: string | null,
  targetId: string,
  before: string | null,
  after: string | null,
  reason: string | null,
): AuditEntryDraft | null {
  const c = change('communication_disabled_until', before, after);
  if (!c) return null;
  return draft(AuditLogEvent.MemberUpdate, actorId, targetId, reason, { changes: [c] });
}

/** A ban (22), unban (23) or kick (20): no changes, the user as target. */
export function memberEntry(
  action: AuditLogEvent.MemberBanAdd | AuditLogEvent.MemberBanRemove | AuditLogEvent.MemberKick,
  actorId: string | null,
  targetId: string,
  reason: string | null,
): AuditEntryDraft {
  return draft(action, actorId, targetId, reason);
}

/** CHANNEL_UPDATE with what changed of the fields the stand-in models; null when nothing did. */
export function channelUpdateEntry(
  actorId: string,
  channelId: string,
  before: { name: string; rate_limit_per_user: number },
  after: { name: string; rate_limit_per_user: number },
  reason: string | null,
): AuditEntryDraft | null {
  const changes = present([
    change('name', before.name, after.name),
    change('rate_limit_per_user', before.rate_limit_per_user, after.rate_limit_per_user),
  ]);
  return changes.length ? draft(AuditLogEvent.ChannelUpdate, actorId, channelId, reason, { changes }) : null;
}

/**
 * CHANNEL_OVERWRITE_CREATE / UPDATE / DELETE, the channel as target. The changes carry the
 * overwrite's fields (`type` a number, as on the overwrite object; `allow`/`deny` decimal strings);
 * `options` name the overwritten role or member (`type` "0"/"1" as a string, `role_name` for roles).
 * An update that changes nothing writes nothing.
 */
export function overwriteEntry(
  actorId: string,
  channelId: string,
  before: APIOverwrite | undefined,
  after: APIOverwrite | undefined,
  roleName: string | undefined,
  reason: string | null,
): AuditEntryDraft | null {
  const subject = after ?? before;
  if (!subject) return null;
  const options = {
    id: subject.id,
    type: String(subject.type),
    ...(subject.type === 0 && roleName !== undefined ? { role_name: roleName } : {}),
  } as APIAuditLogOptions;
  const fields = (o: APIOverwrite | undefined) =>
    o
      ? { id: o.id, type: o.type, allow: o.allow, deny: o.deny }
      : { id: null, type: null, allow: null, deny: null };
  const [was, now] = [fields(before), fields(after)];
  const changes =
    before && after
      ? present([change('allow', was.allow, now.allow), change('deny', was.deny, now.deny)])
      : present([
          change('id', was.id, now.id),
          change('type', was.type, now.type),
          change('allow', was.allow, now.allow),
          change('deny', was.deny, now.deny),
        ]);
  if (!changes.length) return null;
  const action = !before
    ? AuditLogEvent.ChannelOverwriteCreate
    : after
      ? AuditLogEvent.ChannelOverwriteUpdate
      : AuditLogEvent.ChannelOverwriteDelete;
  return draft(action, actorId, channelId, reason, { changes, options });
}

/** WEBHOOK_CREATE (50) or WEBHOOK_DELETE (52): the webhook as target, its name, type and channel. */
export function webhookEntry(
  action: AuditLogEvent.WebhookCreate | AuditLogEvent.WebhookDelete,
  actorId: string,
  webhook: { id: string; name: string; channelId: string },
  reason: string | null,
): AuditEntryDraft {
  const created = action === AuditLogEvent.WebhookCreate;
  const side = (key: string, value: unknown) =>
    created ? change(key, null, value) : change(key, value, null);
  // type 1: an incoming webhook.
  const changes = present([
    side('channel_id', webhook.channelId),
    side('name', webhook.name),
    side('type', 1),
  ]);
  return draft(action, actorId, webhook.id, reason, { changes });
}

/**
 * MESSAGE_DELETE (72) as Discord writes it when someone deletes another author's message: the
 * author as target, `options.channel_id` and `options.count` (a string). Discord does not log
 * deleting one's own messages. (Discord also folds repeated deletes of one author's messages in one
 * channel into the newest entry by raising `count`; the stand-in writes one entry per delete.)
 */
export function messageDeleteEntry(
  actorId: string,
  authorId: string,
  channelId: string,
  reason: string | null,
): AuditEntryDraft {
  return draft(AuditLogEvent.MessageDelete, actorId, authorId, reason, {
    options: { channel_id: channelId, count: '1' },
  });
}

/**
 * MESSAGE_BULK_DELETE (73) as Discord writes it for Bulk Delete Messages: the channel as target and
 * `options.count`, a string, of the messages deleted (pinned ones included; ids that named no
 * message are not counted).
 */
export function messageBulkDeleteEntry(
  actorId: string,
  channelId: string,
  count: number,
  reason: string | null,
): AuditEntryDraft {
  return draft(AuditLogEvent.MessageBulkDelete, actorId, channelId, reason, {
    options: { count: String(count) },
  });
}

export type AutoModAction =
  | AuditLogEvent.AutoModerationBlockMessage
  | AuditLogEvent.AutoModerationFlagToChannel
  | AuditLogEvent.AutoModerationUserCommunicationDisabled;

/**
 * An AutoMod entry (143, 144, 145): the member whose message triggered the rule is the target, and
 * Discord records that member as `user_id` too (AutoMod has no user of its own in the guild; see the
 * REST example in discord-api-docs PR #6040, where both carry the same id). `options` hold the rule's
 * name, its trigger type and the channel, all strings (the channel "" when there is none, as Discord
 * sends for member-profile rules). No reason.
 */
export function autoModEntry(
  action: AutoModAction,
  memberId: string,
  rule: { name: string; triggerType: number },
  channelId: string | null,
): AuditEntryDraft {
  return draft(action, memberId, memberId, null, {
    options: {
      auto_moderation_rule_name: rule.name,
      auto_moderation_rule_trigger_type: String(rule.triggerType),
      channel_id: channelId ?? '',
    } as APIAuditLogOptions,
  });
}

function draft(
  action: AuditLogEvent,
  actorId: string | null,
  targetId: string | null,
  reason: string | null,
  extra: { changes?: APIAuditLogChange[]; options?: APIAuditLogOptions } = {},
): AuditEntryDraft {
  return {
    action_type: action,
    user_id: actorId,
    target_id: targetId,
    ...(extra.changes?.length ? { changes: extra.changes } : {}),
    ...(extra.options ? { options: extra.options } : {}),
    ...(reason ? { reason } : {}),
  };
}

/**
 * A guild's entries, oldest first (ids strictly increasing). New entries get a fresh snowflake of
 * their time; entries dated in the past (the control API's "this happened an hour ago") are put in
 * their place. Reading prunes what is past the 45 days.
 */
export class AuditLog {
  #entries: APIAuditLogEntry[] = [];
  #lastLow = 0n;

  get size(): number {
    return this.#entries.length;
  }

  add(entry: AuditEntryDraft, atMs: number): APIAuditLogEntry {
    this.#lastLow = (this.#lastLow + 1n) & 0x3fffffn;
    let id = BigInt(snowflakeAt(atMs, this.#lastLow));
    const last = this.#entries.at(-1);
    if (!last || BigInt(last.id) < id) {
      const stored: APIAuditLogEntry = { id: id.toString(), ...entry };
      this.#entries.push(stored);
      return stored;
    }
    // Dated in the past: placed by id, on an id no entry has yet.
    while (this.#entries.some((e) => e.id === id.toString())) id += 1n;
    const stored: APIAuditLogEntry = { id: id.toString(), ...entry };
    const at = this.#entries.findIndex((e) => BigInt(e.id) > id);
    this.#entries.splice(at < 0 ? this.#entries.length : at, 0, stored);
    return stored;
  }

  /** The entries still kept at `nowMs`, oldest first; older ones are dropped for good. */
  read(nowMs: number): readonly APIAuditLogEntry[] {
    const cutoff = nowMs - AUDIT_LOG_RETENTION_MS;
    const keep = this.#entries.findIndex((e) => snowflakeTime(e.id) >= cutoff);
    if (keep !== 0) this.#entries = keep < 0 ? [] : this.#entries.slice(keep);
    return this.#entries;
  }
}
