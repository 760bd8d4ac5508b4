// The sandbox's own API under /__sandbox (no auth; a local test tool): seed and inspect a guild, read
// channel, DM and interaction histories, read the request log, inject faults, delete a webhook as a
// user would, simulate a raid (many accounts joining at once) and Discord's own raid / DM-spam
// detection, act in Discord's own UI (a moderator's or AutoMod's action, written to the audit log:
// ui-actions.ts) and read the audit log whole, upload a file to attach, and post a member's message
// (dated in the past if need be), and turn Discord's rate limits on for one guild. Everything is
// addressed by guild, channel, webhook or token so concurrent test files never disturb each other;
// there is deliberately no "reset everything".

import { snowflakeAt } from '../../shared/snowflakes.ts';
import { type AttachmentStore, uploadProblem } from './attachments.ts';
import { type FaultBook, faultProblem } from './faults.ts';
import { discordTimestamp } from './ids.ts';
import { buildMessage } from './messages.ts';
import { incidentsObject } from './objects.ts';
import type { RequestLog } from './request-log.ts';
import { Router } from './router.ts';
import type { DiscordState } from './state.ts';
import type {
  AttachmentUpload,
  DetectionsRequest,
  FaultSpec,
  GuildSeed,
  RaidResult,
  SandboxMessage,
} from './types.ts';
import { carryOutUiAction, checkUiAction } from './ui-actions.ts';
import { isSnowflake, webhookNameProblems } from './validation.ts';

export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ControlResult {
  status: number;
  body?: unknown;
}

type ControlHandler = (request: ControlRequest) => ControlResult;

const ok = (body: unknown): ControlResult => ({ status: 200, body });
const problem = (status: number, message: string): ControlResult => ({ status, body: { message } });

function seedProblem(guildId: string, body: unknown): string | null {
  if (!isSnowflake(guildId)) return 'guild id must be a snowflake';
  if (typeof body !== 'object' || body === null) return 'body must be a GuildSeed';
  const seed = body as Record<string, unknown>;
  if (typeof seed.ownerId !== 'string') return '`ownerId` is required';
  if (!Array.isArray(seed.roles)) return '`roles` must be an array';
  for (const role of seed.roles as unknown[]) {
    const r = role as Record<string, unknown> | null;
    if (
      !r ||
      typeof r.id !== 'string' ||
      typeof r.position !== 'number' ||
      typeof r.permissions !== 'string'
    ) {
      return 'each role needs `id`, `position` (number) and `permissions` (a decimal string)';
    }
  }
  if (!Array.isArray(seed.members)) return '`members` must be an array';
  for (const member of seed.members as unknown[]) {
    const m = member as Record<string, unknown> | null;
    const user = m?.user as Record<string, unknown> | undefined;
    if (
      !m ||
      !user ||
      typeof user.id !== 'string' ||
      typeof user.username !== 'string' ||
      !Array.isArray(m.roles)
    ) {
      return 'each member needs `user: {id, username}` and `roles`';
    }
  }
  for (const key of ['channels', 'users', 'webhooks', 'closedDms', 'botRoleIds'] as const) {
    if (seed[key] !== undefined && !Array.isArray(seed[key])) return `\`${key}\` must be an array`;
  }
  for (const channel of (seed.channels as unknown[] | undefined) ?? []) {
    const issue = channelSeedProblem(channel);
    if (issue) return issue;
  }
  for (const webhook of (seed.webhooks as unknown[] | undefined) ?? []) {
    const w = webhook as Record<string, unknown> | null;
    if (!w || typeof w.channel_id !== 'string') return 'each webhook needs `channel_id`';
    const channels = (seed.channels as { id?: unknown }[] | undefined) ?? [];
    if (!channels.some((channel) => channel.id === w.channel_id))
      return `webhook channel ${String(w.channel_id)} is not among the seed's channels`;
  }
  return null;
}

const DECIMAL = /^\d{1,20}$/;
const MAX_RAIDERS = 10_000;

function channelSeedProblem(channel: unknown): string | null {
  const c = channel as Record<string, unknown> | null;
  if (!c || typeof c.id !== 'string' || typeof c.name !== 'string')
    return 'each channel needs `id` and `name`';
  const slowmode = c.rate_limit_per_user;
  if (
    slowmode !== undefined &&
    (typeof slowmode !== 'number' || !Number.isInteger(slowmode) || slowmode < 0 || slowmode > 21_600)
  ) {
    return `channel ${c.id}: \`rate_limit_per_user\` must be an integer 0..21600`;
  }
  if (c.permission_overwrites === undefined) return null;
  if (!Array.isArray(c.permission_overwrites))
    return `channel ${c.id}: \`permission_overwrites\` must be an array`;
  for (const overwrite of c.permission_overwrites as unknown[]) {
    const o = overwrite as Record<string, unknown> | null;
    if (
      !o ||
      typeof o.id !== 'string' ||
      (o.type !== 0 && o.type !== 1) ||
      typeof o.allow !== 'string' ||
      !DECIMAL.test(o.allow) ||
      typeof o.deny !== 'string' ||
      !DECIMAL.test(o.deny)
    ) {
      return `channel ${c.id}: each overwrite needs \`id\`, \`type\` 0 or 1, and \`allow\` and \`deny\` as decimal strings`;
    }
  }
  return null;
}

export function createControlRouter(deps: {
  state: DiscordState;
  log: RequestLog;
  faults: FaultBook;
  attachments: AttachmentStore;
  /** The stand-in's own origin (e.g. http://127.0.0.1:PORT), where it serves attachments. */
  origin: () => string;
  /** Guilds whose routes are rate limited even by a stand-in started without limits (server.ts). */
  rateLimitedGuilds: Set<string>;
}): Router<ControlHandler> {
  const { state, log, faults, attachments } = deps;
  const router = new Router<ControlHandler>();

  router.add('PUT', '/guilds/{guild_id}', ({ params, body }) => {
    const guildId = params.guild_id!;
    const issue = seedProblem(guildId, body);
    if (issue) return problem(400, issue);
    return ok(state.snapshot(state.seedGuild(guildId, body as GuildSeed)));
  });

  router.add('GET', '/guilds/{guild_id}', ({ params }) => {
    const guild = state.guilds.get(params.guild_id!);
    return guild ? ok(state.snapshot(guild)) : problem(404, 'unknown guild');
  });

  /** N accounts join now, with no roles: `{count, namePrefix?}` → `{userIds, joinedAt}`. */
  router.add('POST', '/guilds/{guild_id}/raid', ({ params, body }) => {
    const guild = state.guilds.get(params.guild_id!);
    if (!guild) return problem(404, 'unknown guild');
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const { count } = fields;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_RAIDERS)
      return problem(400, `\`count\` must be an integer 1..${MAX_RAIDERS}`);
    const prefix = fields.namePrefix ?? 'raider';
    if (typeof prefix !== 'string' || !/^[a-z0-9_.-]{1,20}$/.test(prefix))
      return problem(400, '`namePrefix` must be 1-20 characters of a-z, 0-9, _ . -');
    return ok(state.addRaiders(guild, count, prefix) satisfies RaidResult);
  });

  /** Discord's own detections: `{raid_detected_at?, dm_spam_detected_at?}` (ISO or null) → incidents_data. */
  router.add('PUT', '/guilds/{guild_id}/incidents', ({ params, body }) => {
    const guild = state.guilds.get(params.guild_id!);
    if (!guild) return problem(404, 'unknown guild');
    const fields = (typeof body === 'object' && body !== null ? body : {}) as DetectionsRequest;
    const read = (value: unknown): string | null | undefined | Error => {
      if (value === undefined || value === null) return value;
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? discordTimestamp(new Date(value))
        : new Error('not an ISO timestamp');
    };
    const raid = read(fields.raid_detected_at);
    const spam = read(fields.dm_spam_detected_at);
    if (raid instanceof Error || spam instanceof Error)
      return problem(400, '`raid_detected_at` and `dm_spam_detected_at` must be ISO timestamps or null');
    if (raid !== undefined) guild.incidents.raidDetectedAt = raid;
    if (spam !== undefined) guild.incidents.dmSpamDetectedAt = spam;
    return ok({ incidents_data: incidentsObject(guild.incidents) });
  });

  /**
   * "From Discord's UI": `{action, actorId?, targetId?, reason?, durationMs?, ruleName?, triggerType?,
   * channelId?, count?, at?}` (ui-actions.ts) → the entry written, or `{entries}` with `count`.
   */
  router.add('POST', '/guilds/{guild_id}/audit-log', ({ params, body }) => {
    const guild = state.guilds.get(params.guild_id!);
    if (!guild) return problem(404, 'unknown guild');
    const check = checkUiAction(body, Date.now());
    if (!check.ok) return problem(400, check.problem);
    const outcome = carryOutUiAction(state, guild, check.value);
    if (!outcome.ok) return problem(outcome.status, outcome.problem);
    return ok(check.value.count === undefined ? outcome.entries[0] : { entries: outcome.entries });
  });

  /** The whole audit log still kept (45 days), newest first, unfiltered and unpaged. */
  router.add('GET', '/guilds/{guild_id}/audit-log', ({ params }) => {
    const guild = state.guilds.get(params.guild_id!);
    if (!guild) return problem(404, 'unknown guild');
    return ok([...guild.auditLog.read(Date.now())].reverse());
  });

  /** A text file as if attached to a command: `{filename, text, content_type?, channel_id?}` → APIAttachment. */
  router.add('POST', '/attachments', ({ body }) => {
    const issue = uploadProblem(body);
    if (issue) return problem(400, issue);
    return ok(attachments.add(body as AttachmentUpload, deps.origin()));
  });

  router.add('GET', '/channels/{channel_id}/messages', ({ params }) => {
    const channel = state.channels.get(params.channel_id!);
    return channel ? ok(channel.messages satisfies SandboxMessage[]) : problem(404, 'unknown channel');
  });

  /**
   * A member's message, as if typed in Discord's client: `{author_id, content?, at?, pinned?}` → the
   * stored message. `at` (ISO, default now) is when it was sent, so a test can have messages older
   * than the 14 days Bulk Delete Messages allows.
   */
  router.add('POST', '/channels/{channel_id}/messages', ({ params, body }) => {
    const channel = state.channels.get(params.channel_id!);
    if (!channel) return problem(404, 'unknown channel');
    const seed = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const author = typeof seed.author_id === 'string' ? state.users.get(seed.author_id) : undefined;
    if (!author) return problem(400, '`author_id` must be a user the stand-in knows');
    const { content = '', pinned = false } = seed;
    if (typeof content !== 'string' || content.length > 2000)
      return problem(400, '`content` must be a string of at most 2000 characters');
    if (typeof pinned !== 'boolean') return problem(400, '`pinned` must be a boolean');
    const at =
      seed.at === undefined ? Date.now() : typeof seed.at === 'string' ? Date.parse(seed.at) : Number.NaN;
    if (Number.isNaN(at)) return problem(400, '`at` must be an ISO timestamp');
    // The id carries the time, as Discord's do (bulk delete reads a message's age from it); random
    // low bits, not the REST generator, whose sequence a time in the past would disturb.
    let id = BigInt(snowflakeAt(at, BigInt(Math.floor(Math.random() * 0x3fffff))));
    while (channel.messages.some((m) => m.id === id.toString())) id += 1n;
    const message = buildMessage({
      id: id.toString(),
      channelId: channel.id,
      author,
      payload: { content },
      lookupUser: (userId) => state.users.get(userId),
      now: new Date(at),
    });
    const stored: SandboxMessage = { ...message, pinned };
    channel.messages.push(stored);
    return ok(stored);
  });

  /** A webhook made outside the API (as a user would in the channel settings). */
  router.add('POST', '/channels/{channel_id}/webhooks', ({ params, body }) => {
    const channel = state.channels.get(params.channel_id!);
    if (!channel?.guildId) return problem(404, 'unknown guild channel');
    const guild = state.guilds.get(channel.guildId);
    if (!guild) return problem(404, 'unknown guild channel');
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const name = typeof fields.name === 'string' ? fields.name : 'Captain Hook';
    if (webhookNameProblems(name)) return problem(400, 'invalid webhook name');
    const webhook = state.addWebhook(guild, channel.id, name, {
      id: typeof fields.id === 'string' ? fields.id : undefined,
      token: typeof fields.token === 'string' ? fields.token : undefined,
      creatorId: null,
    });
    return ok(state.webhook(webhook, { withUser: false }));
  });

  router.add('DELETE', '/webhooks/{webhook_id}', ({ params }) =>
    state.webhooks.delete(params.webhook_id!) ? { status: 204 } : problem(404, 'unknown webhook'),
  );

  router.add('GET', '/users/{user_id}/dm', ({ params }) => {
    const channelId = state.dmChannels.get(params.user_id!);
    const channel = channelId ? state.channels.get(channelId) : undefined;
    return ok({ channel: channel ? state.channelObject(channel) : null, messages: channel?.messages ?? [] });
  });

  router.add('GET', '/interactions/{token}', ({ params }) => ok(state.interactionMessages(params.token!)));

  router.add('GET', '/requests', ({ query }) => {
    const since = query.get('since');
    return ok(
      log.find({
        contains: query.get('contains'),
        since: since === null || Number.isNaN(Number(since)) ? null : Number(since),
        method: query.get('method'),
      }),
    );
  });

  // A stand-in shared by test files runs without limits; one test turns them on for its own guild.
  router.add('PUT', '/guilds/{guild_id}/rate-limits', ({ params }) => {
    if (!isSnowflake(params.guild_id!)) return problem(400, 'guild id must be a snowflake');
    deps.rateLimitedGuilds.add(params.guild_id!);
    return { status: 204 };
  });

  router.add('POST', '/faults', ({ body }) => {
    const issue = faultProblem(body);
    if (issue) return problem(400, issue);
    return ok({ id: faults.add(body as FaultSpec) });
  });

  router.add('DELETE', '/faults/{fault_id}', ({ params }) =>
    faults.remove(params.fault_id!) ? { status: 204 } : problem(404, 'unknown fault'),
  );

  return router;
}
