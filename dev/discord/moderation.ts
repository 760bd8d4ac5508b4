// The guild-state changes of bans, unbans, kicks and timeouts, each with the audit-log entry Discord
// writes for it, so the REST routes (the bot, after their permission checks) and the control API (a
// human moderator or AutoMod in Discord's own UI) change the guild the same way and the log always
// agrees with the state. Permission and hierarchy checks stay with the callers.
import { type APIAuditLogEntry, AuditLogEvent } from 'discord-api-types/v10';
import { type AutoModAction, autoModEntry, memberEntry, timeoutEntry } from './audit-log.ts';
import type { GuildRecord, MemberRecord } from './records.ts';
import type { DiscordState } from './state.ts';

export interface Actor {
  /** Who did it: the bot for REST calls; a moderator; null where Discord records nobody. */
  actorId: string | null;
  reason: string | null;
  /** When it happened, if not now (the control API's history); the entry's id carries it. */
  atMs?: number;
}

/** A ban: the user's messages of the last `deleteSeconds` go, the member leaves, the ban is kept. */
export function banUser(
  state: DiscordState,
  guild: GuildRecord,
  userId: string,
  deleteSeconds: number,
  actor: Actor,
): APIAuditLogEntry {
  if (deleteSeconds > 0) deleteRecentMessages(state, guild, userId, Date.now() - deleteSeconds * 1000);
  guild.bans.set(userId, { userId, reason: actor.reason });
  guild.members.delete(userId);
  return state.audit(
    guild,
    memberEntry(AuditLogEvent.MemberBanAdd, actor.actorId, userId, actor.reason),
    actor.atMs,
  );
}

/** Lifts a ban; null (and nothing written) when the user was not banned. */
export function unbanUser(
  state: DiscordState,
  guild: GuildRecord,
  userId: string,
  actor: Actor,
): APIAuditLogEntry | null {
  if (!guild.bans.delete(userId)) return null;
  return state.audit(
    guild,
    memberEntry(AuditLogEvent.MemberBanRemove, actor.actorId, userId, actor.reason),
    actor.atMs,
  );
}

export function kickMember(
  state: DiscordState,
  guild: GuildRecord,
  member: MemberRecord,
  actor: Actor,
): APIAuditLogEntry {
  guild.members.delete(member.userId);
  return state.audit(
    guild,
    memberEntry(AuditLogEvent.MemberKick, actor.actorId, member.userId, actor.reason),
    actor.atMs,
  );
}

/** Sets or clears a timeout (`until` in Discord's timestamp format); an unchanged value writes no entry. */
export function setTimeoutUntil(
  state: DiscordState,
  guild: GuildRecord,
  member: MemberRecord,
  until: string | null,
  actor: Actor,
): APIAuditLogEntry | null {
  const before = member.communicationDisabledUntil;
  member.communicationDisabledUntil = until;
  const entry = timeoutEntry(actor.actorId, member.userId, before, until, actor.reason);
  return entry ? state.audit(guild, entry, actor.atMs) : null;
}

/** An AutoMod action on a member's message; a 145 also times the member out until `timeoutUntil`. */
export function autoModAct(
  state: DiscordState,
  guild: GuildRecord,
  member: MemberRecord,
  action: AutoModAction,
  rule: { name: string; triggerType: number },
  channelId: string | null,
  timeoutUntil: string | null,
  atMs?: number,
): APIAuditLogEntry {
  if (action === AuditLogEvent.AutoModerationUserCommunicationDisabled) {
    member.communicationDisabledUntil = timeoutUntil;
  }
  return state.audit(guild, autoModEntry(action, member.userId, rule, channelId), atMs);
}

/** A ban's delete_message_seconds: the user's messages since `since` go from every channel of the guild. */
function deleteRecentMessages(state: DiscordState, guild: GuildRecord, userId: string, since: number): void {
  for (const channelId of guild.channelIds) {
    const channel = state.channels.get(channelId);
    if (!channel) continue;
    channel.messages = channel.messages.filter(
      (message) => message.author.id !== userId || Date.parse(message.timestamp) < since,
    );
  }
}
