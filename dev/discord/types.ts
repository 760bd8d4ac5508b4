// The shapes of the stand-in's control API (under /__sandbox): what tests send to seed a guild or
// inject a fault, and what they read back (guild snapshots, channel histories, the request log).
import type {
  APIAllowedMentions,
  APIBan,
  APIGuildMember,
  APIIncidentsData,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIWebhook,
} from 'discord-api-types/v10';

export interface SeedUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface SeedRole {
  id: string;
  name?: string;
  position: number;
  /** Permission bits as a decimal string, as Discord sends them. */
  permissions: string;
}

export interface SeedMember {
  user: SeedUser;
  roles: string[];
  nick?: string | null;
  communication_disabled_until?: string | null;
  /** ISO timestamp; the time of seeding when left out. */
  joined_at?: string;
}

/** A permission overwrite as Discord sends it: type 0 role (@everyone's id is the guild's), 1 member. */
export interface SeedOverwrite {
  id: string;
  type: 0 | 1;
  /** Permission bits as decimal strings. */
  allow: string;
  deny: string;
}

export interface SeedChannel {
  id: string;
  name: string;
  /** A ChannelType; guild text (0) when left out. */
  type?: number;
  permission_overwrites?: SeedOverwrite[];
  /** Slowmode, 0..21600 s; 0 when left out. */
  rate_limit_per_user?: number;
  /** A category (type 4) among the seed's channels. */
  parent_id?: string | null;
  /** Its index among the seed's channels when left out. */
  position?: number;
}

/** A webhook that exists before the test starts, as if a user had made it in the channel settings. */
export interface SeedWebhook {
  id?: string;
  token?: string;
  channel_id: string;
  name?: string;
}

/** `PUT /__sandbox/guilds/{guildId}`: replaces everything the stand-in knows about that guild. */
export interface GuildSeed {
  name?: string;
  ownerId: string;
  roles: SeedRole[];
  members: SeedMember[];
  channels?: SeedChannel[];
  /** Roles of the bot, which is added as a member unless `botAbsent`. */
  botRoleIds?: string[];
  /** A server the bot was never added to (or was removed from): its calls there answer 50001. */
  botAbsent?: boolean;
  /** Users whose DMs are closed: sending them a DM answers 50007. */
  closedDms?: string[];
  /** Users Discord knows who are not members (so they can be banned by id). */
  users?: SeedUser[];
  webhooks?: SeedWebhook[];
}

export interface SandboxChannel {
  id: string;
  guild_id: string | null;
  name: string;
  type: number;
  /** For DM channels: the user at the other end. */
  recipient_id?: string;
  /** Guild channels: exactly as Discord keeps them (the channel object's fields). */
  permission_overwrites?: APIOverwrite[];
  rate_limit_per_user?: number;
  position?: number;
  parent_id?: string | null;
}

/** A stored message: what Discord returns, plus the allowed_mentions it was sent with. */
export type SandboxMessage = APIMessage & { allowed_mentions: APIAllowedMentions | null };

/** An interaction's messages: the original response (original: true) first, then follow-ups. */
export type InteractionMessage = SandboxMessage & { original: boolean };

/** `GET /__sandbox/guilds/{guildId}`. */
export interface GuildSnapshot {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  members: APIGuildMember[];
  bans: APIBan[];
  /** Each with its token, so a test can execute it. */
  webhooks: APIWebhook[];
  channels: SandboxChannel[];
  closedDms: string[];
  /** As Get Guild returns it: null until an incident action or a detection is set. */
  incidents_data: APIIncidentsData | null;
  /** How many audit-log entries the guild keeps (45 days). */
  auditLogEntries: number;
}

/** `POST /__sandbox/guilds/{guildId}/raid`: `count` (1..1000) new accounts join now, with no roles. */
export interface RaidRequest {
  count: number;
  /** Username prefix, default `raider`: names are `<prefix>-<n>`. */
  namePrefix?: string;
}

/** What the raid route answers: the new members' user ids, in join order, and when they joined. */
export interface RaidResult {
  userIds: string[];
  joinedAt: string;
}

/** `PUT /__sandbox/guilds/{guildId}/incidents`: Discord's own detections (a field left out is kept). */
export interface DetectionsRequest {
  raid_detected_at?: string | null;
  dm_spam_detected_at?: string | null;
}

/** `POST /__sandbox/attachments`: a text file, as if a user had attached it to a slash command. */
export interface AttachmentUpload {
  filename: string;
  text: string;
  /** Default from the extension: text/plain; charset=utf-8 for .txt, text/csv for .csv. */
  content_type?: string;
  /** The channel it was uploaded in (part of its URL, as on Discord); a fresh snowflake when left out. */
  channel_id?: string;
}

/** One request the REST API received, as `GET /__sandbox/requests` returns it. */
export interface RecordedRequest {
  /** Increases by one per request, across the whole stand-in. */
  seq: number;
  /** Arrival time in ms, on the stand-in's clock (the `now` option). */
  at: number;
  method: string;
  /** Without /api/v10 and without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** X-Audit-Log-Reason, URL-decoded; null when absent. */
  auditLogReason: string | null;
  /** The parsed JSON body; null when there was none or it was not JSON. */
  body: unknown;
  /** The status answered; 0 while unanswered (or never, for a hanging fault). */
  status: number;
}

/** `POST /__sandbox/faults`: the next `count` matching requests get this answer instead of the real one. */
export interface FaultSpec {
  method?: string;
  /** A regular expression tested against the path without /api/v10 and without the query. */
  path: string;
  count: number;
  /** 0 = never answer (the connection hangs until the client gives up or the stand-in closes). */
  status: number;
  /** Together with `message`, makes the body `{message, code}` instead of the edge's default for the status. */
  code?: number;
  message?: string;
  /** For 429: retry_after in the body and Retry-After in the headers (seconds). */
  retryAfter?: number;
  /** For 429: a global rate limit (X-RateLimit-Global, scope global) rather than a per-route one. */
  global?: boolean;
  /** Answer only after this delay. */
  delayMs?: number;
  /**
   * Carry the request out as Discord would and only delay the answer by `delayMs`: the "Discord did
   * it but the client timed out" case. Status 0 then never answers, a status of 400 or more answers
   * that error (the "5xx although it was carried out" case), any other status gives the real answer.
   */
  passThrough?: boolean;
  /** After carrying it out (with passThrough) and waiting `delayMs`, drop the connection unanswered. */
  drop?: boolean;
}
