// What people and AutoMod do in Discord's own UI, for the control API (POST /__sandbox/guilds/{id}/
// audit-log): a moderator's ban, unban, kick, timeout or timeout removal, and AutoMod blocking or
// flagging a message or timing a member out. Each changes the guild as the REST route would and
// writes the entry Discord writes (through moderation.ts, so state and log agree). The body check is
// pure (checkUiAction); carrying it out checks the guild: the moderator must hold the permission the
// UI asks for and outrank the target, as Discord's client requires. `count` makes many entries at
// once (benchmarks): each on a fresh member who joins for it, or, for AutoMod block/flag, `count`
// entries on one member.
import { type APIAuditLogEntry, AuditLogEvent, PermissionFlagsBits } from 'discord-api-types/v10';
import type { AutoModAction } from './audit-log.ts';
import { discordTimestamp } from './ids.ts';
import { autoModAct, banUser, kickMember, setTimeoutUntil, unbanUser } from './moderation.ts';
import { hasPermission, memberPermissions, outranks } from './permissions.ts';
import type { GuildRecord, MemberRecord } from './records.ts';
import type { DiscordState } from './state.ts';
import { charCount, isRecord, isSnowflake, limits } from './validation.ts';

export const UI_ACTIONS = [
  'ban',
  'unban',
  'kick',
  'timeout',
  'untimeout',
  'automod_block',
  'automod_flag',
  'automod_timeout',
] as const;
export type UiActionName = (typeof UI_ACTIONS)[number];

/** `POST /__sandbox/guilds/{guildId}/audit-log`. */
export interface UiAction {
  action: UiActionName;
  /** The moderator (a member, or the owner); not used by AutoMod actions, which Discord records as the member's. */
  actorId?: string;
  /** The member or user acted on; fresh members are made when left out with `count`. */
  targetId?: string;
  reason?: string;
  /** timeout: required, up to 28 days; automod_timeout: default 60 s, up to 4 weeks. */
  durationMs?: number;
  /** AutoMod: the rule's name (default "Block spam content") and trigger type (default 1, keyword). */
  ruleName?: string;
  triggerType?: number;
  /** AutoMod: the channel of the message; the guild's first text channel when left out. */
  channelId?: string;
  /** 1..10000 entries in one call. */
  count?: number;
  /**
   * ISO time it happened, default now; at most 45 days back would still be kept. The entry's id
   * carries it, so it sorts among the others by that time, behind any `after` cursor already past it
   * (on Discord entries only ever appear at "now": use it to seed history, not to test a live sync).
   */
  at?: string;
}

export const uiLimits = {
  maxCount: 10_000,
  autoModTimeoutDefaultMs: 60_000,
  /** AutoMod's timeout action: duration_seconds up to 2419200 (4 weeks). */
  autoModTimeoutMaxMs: 2_419_200_000,
  ruleName: 100,
} as const;

const MODERATOR_PERMISSION: Partial<Record<UiActionName, bigint>> = {
  ban: PermissionFlagsBits.BanMembers,
  unban: PermissionFlagsBits.BanMembers,
  kick: PermissionFlagsBits.KickMembers,
  timeout: PermissionFlagsBits.ModerateMembers,
  untimeout: PermissionFlagsBits.ModerateMembers,
};

const AUTOMOD: Partial<Record<UiActionName, AutoModAction>> = {
  automod_block: AuditLogEvent.AutoModerationBlockMessage,
  automod_flag: AuditLogEvent.AutoModerationFlagToChannel,
  automod_timeout: AuditLogEvent.AutoModerationUserCommunicationDisabled,
};

const isAutoMod = (action: UiActionName) => AUTOMOD[action] !== undefined;

/** The body as a UiAction, or what is wrong with it. */
export function checkUiAction(
  body: unknown,
  nowMs: number,
): { ok: true; value: UiAction } | { ok: false; problem: string } {
  const bad = (problem: string) => ({ ok: false as const, problem });
  if (!isRecord(body)) return bad('body must be an object');
  const { action, actorId, targetId, reason, durationMs, ruleName, triggerType, channelId, count, at } = body;
  if (typeof action !== 'string' || !(UI_ACTIONS as readonly string[]).includes(action))
    return bad(`\`action\` must be one of ${UI_ACTIONS.join(', ')}`);
  const name = action as UiActionName;
  for (const [field, value] of [
    ['actorId', actorId],
    ['targetId', targetId],
    ['channelId', channelId],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || !isSnowflake(value)))
      return bad(`\`${field}\` must be a snowflake`);
  }
  if (!isAutoMod(name) && actorId === undefined) return bad('`actorId` (the moderator) is required');
  if (reason !== undefined && (typeof reason !== 'string' || charCount(reason) > limits.auditLogReason))
    return bad(`\`reason\` must be a string of at most ${limits.auditLogReason} characters`);
  if (isAutoMod(name) && reason !== undefined) return bad('AutoMod entries carry no `reason`');
  const maxDuration = name === 'timeout' ? limits.timeoutMs : uiLimits.autoModTimeoutMaxMs;
  if (durationMs !== undefined) {
    if (name !== 'timeout' && name !== 'automod_timeout') return bad('`durationMs` is for timeouts');
    if (
      typeof durationMs !== 'number' ||
      !Number.isInteger(durationMs) ||
      durationMs < 1 ||
      durationMs > maxDuration
    )
      return bad(`\`durationMs\` must be an integer 1..${maxDuration}`);
  } else if (name === 'timeout') return bad('`durationMs` is required for a timeout');
  if (ruleName !== undefined || triggerType !== undefined || channelId !== undefined) {
    if (!isAutoMod(name)) return bad('`ruleName`, `triggerType` and `channelId` are for AutoMod actions');
  }
  if (
    ruleName !== undefined &&
    (typeof ruleName !== 'string' || ruleName.length < 1 || ruleName.length > uiLimits.ruleName)
  )
    return bad(`\`ruleName\` must be 1..${uiLimits.ruleName} characters`);
  if (
    triggerType !== undefined &&
    (typeof triggerType !== 'number' || ![1, 3, 4, 5, 6].includes(triggerType))
  )
    return bad('`triggerType` must be an AutoMod trigger type: 1, 3, 4, 5 or 6');
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > uiLimits.maxCount)
      return bad(`\`count\` must be an integer 1..${uiLimits.maxCount}`);
    if (name === 'unban' || name === 'untimeout')
      return bad(`\`count\` cannot ${name}: nobody fresh is banned or timed out`);
    if (targetId !== undefined && count > 1 && name !== 'automod_block' && name !== 'automod_flag')
      return bad('`count` above 1 with one `targetId` only for automod_block and automod_flag');
  } else if (targetId === undefined) return bad('`targetId` is required (or `count`, for fresh members)');
  if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || Date.parse(at) > nowMs))
    return bad('`at` must be an ISO timestamp, not in the future');
  return { ok: true, value: body as unknown as UiAction };
}

export type UiOutcome =
  | { ok: true; entries: APIAuditLogEntry[] }
  | { ok: false; status: number; problem: string };

/** Carries a checked action out in the guild; nothing changes when it is refused. */
export function carryOutUiAction(state: DiscordState, guild: GuildRecord, request: UiAction): UiOutcome {
  const refuse = (status: number, problem: string) => ({ ok: false as const, status, problem });
  const { action } = request;
  const permission = MODERATOR_PERMISSION[action];
  let actor: { id: string; roles: string[] } | null = null;
  if (permission !== undefined) {
    const id = request.actorId!;
    const member = guild.members.get(id);
    if (!member && id !== guild.ownerId) return refuse(404, `moderator ${id} is not a member of the guild`);
    actor = { id, roles: member?.roles ?? [] };
    if (!hasPermission(memberPermissions(guild, id, actor.roles), permission))
      return refuse(403, `moderator ${id} lacks the permission to ${action}`);
  }
  let channelId: string | null = null;
  if (isAutoMod(action)) {
    const channels = state.guildChannels(guild);
    channelId = request.channelId ?? channels.find((c) => c.type === 0)?.id ?? null;
    if (request.channelId && !guild.channelIds.has(request.channelId))
      return refuse(404, `channel ${request.channelId} is not in the guild`);
  }

  const targets: string[] = [];
  if (request.targetId !== undefined) {
    const problem = targetProblem(guild, state.users.has(request.targetId), action, request.targetId, actor);
    if (problem) return refuse(problem.status, problem.problem);
    targets.push(...Array<string>(request.count ?? 1).fill(request.targetId));
  } else {
    targets.push(...state.addRaiders(guild, request.count ?? 1, 'member').userIds);
    if (actor) {
      for (const id of targets) {
        if (!outranks(guild, actor, { id, roles: [] })) {
          for (const fresh of targets) guild.members.delete(fresh);
          return refuse(403, `moderator ${actor.id} does not outrank a member without roles`);
        }
      }
    }
  }

  const now = request.at === undefined ? Date.now() : Date.parse(request.at);
  const who = { actorId: request.actorId ?? null, reason: request.reason ?? null, atMs: now };
  const entries: APIAuditLogEntry[] = [];
  for (const userId of targets) {
    const member = guild.members.get(userId);
    const entry = act(state, guild, request, userId, member, who, channelId, now);
    if (entry) entries.push(entry);
  }
  return { ok: true, entries };
}

function act(
  state: DiscordState,
  guild: GuildRecord,
  request: UiAction,
  userId: string,
  member: MemberRecord | undefined,
  who: { actorId: string | null; reason: string | null; atMs: number },
  channelId: string | null,
  now: number,
): APIAuditLogEntry | null {
  switch (request.action) {
    case 'ban':
      return banUser(state, guild, userId, 0, who);
    case 'unban':
      return unbanUser(state, guild, userId, who);
    case 'kick':
      return kickMember(state, guild, member!, who);
    case 'timeout':
      return setTimeoutUntil(
        state,
        guild,
        member!,
        discordTimestamp(new Date(now + request.durationMs!)),
        who,
      );
    case 'untimeout':
      return setTimeoutUntil(state, guild, member!, null, who);
    default: {
      const rule = { name: request.ruleName ?? 'Block spam content', triggerType: request.triggerType ?? 1 };
      const until = discordTimestamp(
        new Date(now + (request.durationMs ?? uiLimits.autoModTimeoutDefaultMs)),
      );
      return autoModAct(state, guild, member!, AUTOMOD[request.action]!, rule, channelId, until, now);
    }
  }
}

/** Why the target cannot take this action, as Discord's UI would refuse it; null when it can. */
function targetProblem(
  guild: GuildRecord,
  known: boolean,
  action: UiActionName,
  targetId: string,
  actor: { id: string; roles: string[] } | null,
): { status: number; problem: string } | null {
  const member = guild.members.get(targetId);
  if (action === 'unban')
    return guild.bans.has(targetId) ? null : { status: 404, problem: `${targetId} is not banned` };
  if (targetId === guild.ownerId) return { status: 403, problem: 'nobody can act on the owner' };
  if (action === 'ban') {
    if (guild.bans.has(targetId)) return { status: 409, problem: `${targetId} is already banned` };
    if (!member && !known) return { status: 404, problem: `${targetId} is not a user Discord knows` };
  } else if (!member) return { status: 404, problem: `${targetId} is not a member of the guild` };
  const timedOutUntil = member?.communicationDisabledUntil;
  if (action === 'untimeout' && (!timedOutUntil || Date.parse(timedOutUntil) <= Date.now()))
    return { status: 409, problem: `${targetId} is not timed out` };
  if (actor && !outranks(guild, actor, { id: targetId, roles: member?.roles ?? [] }))
    return { status: 403, problem: `moderator ${actor.id} does not outrank ${targetId}` };
  if (
    (action === 'timeout' || action === 'automod_timeout') &&
    member &&
    hasPermission(memberPermissions(guild, targetId, member.roles), PermissionFlagsBits.Administrator)
  ) {
    return { status: 403, problem: 'Discord does not time out administrators' };
  }
  return null;
}
