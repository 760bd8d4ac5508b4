// The shapes of the stand-in's control API (under /__sandbox): what tests send to seed a guild or
// inject a fault, and what they read back (guild snapshots, channel histories, the request log).
import type {
  APIAllowedMentions,
  APIBan,
  APIGuildMember,
  APIMessage,
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
}

export interface SeedChannel {
  id: string;
  name: string;
  /** A ChannelType; guild text (0) when left out. */
  type?: number;
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
  /** Roles of the bot, which is always added as a member. */
  botRoleIds?: string[];
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
