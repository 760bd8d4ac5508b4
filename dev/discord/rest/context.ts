// What every REST resource module shares: the route shape the HTTP layer runs (auth, audit log,
// rate-limit buckets, handler), and a RestContext over DiscordState with the lookups and checks the
// routes refuse with (Discord's own codes), the message-payload checks, the bucket builders and `add`,
// which registers a route on the one router. Each resource module gets the context and adds its routes.
import { type APIUser, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, invalidFormBody, type KnownErrorCode } from '../errors.ts';
import { checkMessageBody, isEmptyMessage, type MessagePayload } from '../message-validation.ts';
import { editMessage, publicMessage } from '../messages.ts';
import { channelPermissions, hasPermission, memberPermissions, outranks } from '../permissions.ts';
import { type BucketRef, type BucketRule, defaultRule, rules } from '../rate-limits.ts';
import type { ChannelRecord, GuildRecord, MemberRecord, WebhookRecord } from '../records.ts';
import type { Router } from '../router.ts';
import type { DiscordState } from '../state.ts';
import type { SandboxMessage } from '../types.ts';

export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON; undefined when the request had no body. */
  body: unknown;
  auditLogReason: string | null;
  /** The Authorization header as sent (Bearer routes and the OAuth2 token exchange read it). */
  authorization?: string;
  /** The body when it was application/x-www-form-urlencoded (OAuth2's token exchange). */
  form?: URLSearchParams | null;
}

export interface RestResult {
  status: number;
  body?: unknown;
}

export interface RouteLimits {
  /** Whether the request counts toward the bot token's global limit. */
  global: boolean;
  route: BucketRef;
  shared: BucketRef[];
}

export type Params = Record<string, string>;

export type RouteAuth = 'bot' | 'token' | 'bot-or-bearer' | 'client';

export interface RestRoute {
  /**
   * `bot`: Authorization: Bot <token> required. `token`: the webhook or interaction token in the path
   * is the credential. `bot-or-bearer`: the bot token or a user's OAuth2 Bearer token (rest/oauth2.ts).
   * `client`: OAuth2 client credentials, checked by the route itself.
   */
  auth: RouteAuth;
  /** Routes that write an audit-log entry, where Discord reads X-Audit-Log-Reason. */
  auditLog: boolean;
  limits(params: Params): RouteLimits;
  handle(request: RestRequest): RestResult;
}

export interface RouteOptions {
  auth?: RouteAuth;
  auditLog?: boolean;
  limits?: RestRoute['limits'];
}

/** A message a token route points at, with where it is kept. */
export interface StoredMessage {
  message: SandboxMessage;
  replace(next: SandboxMessage): void;
  remove(): void;
}

/** The message in `list` matching `matches`, kept in place there; Unknown Message when there is none. */
export function storedIn(
  list: SandboxMessage[],
  matches: (message: SandboxMessage) => boolean,
): StoredMessage {
  const index = list.findIndex(matches);
  const message = required(list[index], RESTJSONErrorCodes.UnknownMessage);
  return {
    message,
    replace: (next) => {
      list[index] = next;
    },
    remove: () => {
      list.splice(index, 1);
    },
  };
}

/**
 * One of the two resources behind /webhooks/{id}/{token}: an incoming webhook, or an interaction
 * (the id is the application's). The token routes (token-routes.ts) hand each request to its side.
 */
export interface TokenSide {
  get(params: Params): RestResult;
  update(params: Params, body: unknown): RestResult;
  remove(params: Params): RestResult;
  execute(request: RestRequest): RestResult;
  message(params: Params): StoredMessage;
  /** PATCH …/messages/{id}, once the payload has passed its checks. */
  edit(params: Params, payload: MessagePayload): RestResult;
}

export const ok = (body: unknown): RestResult => ({ status: 200, body });
export const noContent = (): RestResult => ({ status: 204 });

/** The value, or Discord's refusal with `code` when there is none. */
export function required<T>(value: T | undefined | null, code: KnownErrorCode): T {
  if (value === undefined || value === null) throw apiError(code);
  return value;
}

/** Missing Permissions unless `permissions` hold every bit of `bit`. */
export function requireBits(permissions: bigint, bit: bigint): void {
  if (!hasPermission(permissions, bit)) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

export function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** Route-parameter readers: the router guarantees every `{name}` in a template is present. */
const param = (params: Params, name: string): string => params[name] ?? '';
export const byGuild = (params: Params) => param(params, 'guild_id');
export const byChannel = (params: Params) => param(params, 'channel_id');
export const byWebhook = (params: Params) => param(params, 'webhook_id');
const byNothing = () => '';

const bucket = (rule: BucketRule, major: string): BucketRef => ({ key: `${rule.name}|${major}`, rule });

export class RestContext {
  readonly state: DiscordState;
  readonly appId: string;
  readonly #router: Router<RestRoute>;

  constructor(state: DiscordState, router: Router<RestRoute>) {
    this.state = state;
    this.appId = state.applicationId;
    this.#router = router;
  }

  // ---- registering ----

  /** A route; by default bot-authenticated, without an audit log, in a loose bucket of its own. */
  add(method: string, template: string, options: RouteOptions, handle: RestRoute['handle']): void {
    this.#router.add(method, template, {
      auth: options.auth ?? 'bot',
      auditLog: options.auditLog ?? false,
      limits: options.limits ?? this.botLimits(defaultRule(`${method} ${template}`), byNothing),
      handle,
    });
  }

  /** A bot-token route's buckets: the global limit, and `rule` per top-level resource (`major`). */
  botLimits(rule: BucketRule, major: (params: Params) => string): RestRoute['limits'] {
    return (params) => ({ global: true, route: bucket(rule, major(params)), shared: [] });
  }

  /** The loose per-route bucket Discord gives most reads, per top-level resource. */
  defaultLimits(method: string, template: string, major: (params: Params) => string): RestRoute['limits'] {
    return this.botLimits(defaultRule(`${method} ${template}`), major);
  }

  /** Webhook-token routes: per webhook, or per interaction token (outside the global limit either way). */
  tokenLimits(rule: BucketRule, options: { channelShared?: boolean } = {}): RestRoute['limits'] {
    return (params) => {
      if (this.isInteraction(params)) {
        return {
          global: false,
          route: bucket(rules.interaction, param(params, 'webhook_token')),
          shared: [],
        };
      }
      const webhook = this.state.webhooks.get(byWebhook(params));
      const shared =
        options.channelShared && webhook && webhook.token === params.webhook_token
          ? [bucket(rules.webhookChannel, webhook.channelId)]
          : [];
      return { global: false, route: bucket(rule, byWebhook(params)), shared };
    };
  }

  // ---- lookups ----

  guildOf(id: string): GuildRecord {
    return required(this.state.guilds.get(id), RESTJSONErrorCodes.UnknownGuild);
  }

  memberOf(guild: GuildRecord, userId: string): MemberRecord {
    return required(guild.members.get(userId), RESTJSONErrorCodes.UnknownMember);
  }

  /** The bot's own membership: a guild it is not in answers Missing Access. */
  botMember(guild: GuildRecord): MemberRecord {
    return required(guild.members.get(this.appId), RESTJSONErrorCodes.MissingAccess);
  }

  channelOf(id: string): ChannelRecord {
    return required(this.state.channels.get(id), RESTJSONErrorCodes.UnknownChannel);
  }

  /** A guild channel's guild; DM channels refuse with 50003. */
  guildOfChannel(channel: ChannelRecord): GuildRecord {
    return this.guildOf(required(channel.guildId, RESTJSONErrorCodes.CannotExecuteActionOnDMChannel));
  }

  readonly lookupUser = (id: string): APIUser | undefined => this.state.users.get(id);

  /** A webhook reached by id and token: Unknown Webhook when it does not exist, Invalid Webhook Token when the token is wrong. */
  webhookByToken(params: Params): WebhookRecord {
    const webhook = required(this.state.webhooks.get(byWebhook(params)), RESTJSONErrorCodes.UnknownWebhook);
    if (webhook.token !== params.webhook_token) throw apiError(RESTJSONErrorCodes.InvalidWebhookToken);
    return webhook;
  }

  /** A webhook reached with the bot token: the bot needs Manage Webhooks in its guild. */
  webhookForBot(id: string): WebhookRecord {
    const webhook = required(this.state.webhooks.get(id), RESTJSONErrorCodes.UnknownWebhook);
    this.requirePermission(
      required(this.state.guilds.get(webhook.guildId), RESTJSONErrorCodes.UnknownWebhook),
      PermissionFlagsBits.ManageWebhooks,
    );
    return webhook;
  }

  /** The token routes serve interactions when the "webhook" id is the application's. */
  isInteraction(params: Params): boolean {
    return params.webhook_id === this.appId;
  }

  // ---- checks ----

  botPermissions(guild: GuildRecord): bigint {
    return memberPermissions(guild, this.appId, this.botMember(guild).roles);
  }

  requirePermission(guild: GuildRecord, bit: bigint): void {
    requireBits(this.botPermissions(guild), bit);
  }

  /** The bot's permissions in a guild channel: its roles', shaped by the channel's overwrites. */
  botChannelPermissions(guild: GuildRecord, channel: ChannelRecord): bigint {
    return channelPermissions(
      guild,
      { id: this.appId, roles: this.botMember(guild).roles },
      channel.overwrites,
    );
  }

  /**
   * A guild channel the bot can see, with its guild and the bot's permissions there: Unknown Channel
   * when there is none, Missing Access without View Channel; DM channels refuse with 50003.
   */
  visibleGuildChannel(id: string): { channel: ChannelRecord; guild: GuildRecord; permissions: bigint } {
    const channel = this.channelOf(id);
    const guild = this.guildOfChannel(channel);
    const permissions = this.botChannelPermissions(guild, channel);
    if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel))
      throw apiError(RESTJSONErrorCodes.MissingAccess);
    return { channel, guild, permissions };
  }

  /** The hierarchy rule for bans, kicks and timeouts: never the owner, only members below the bot. */
  requireOutranks(guild: GuildRecord, target: MemberRecord): void {
    const bot = this.botMember(guild);
    if (!outranks(guild, { id: this.appId, roles: bot.roles }, { id: target.userId, roles: target.roles })) {
      throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }
  }

  /** A message body as Discord checks it (50035 with the field tree); emptiness is the caller's call. */
  messagePayload(body: unknown, options: { webhookOverrides?: boolean } = {}): MessagePayload {
    const check = checkMessageBody(body ?? {}, options);
    if (!check.ok) throw invalidFormBody(check.errors);
    return check.payload;
  }

  /** A payload for a new message, which may not be empty (50006). */
  newMessage(payload: MessagePayload): MessagePayload {
    if (isEmptyMessage(payload)) throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
    return payload;
  }

  /** Edits a stored message in place; an edit may not leave it empty. */
  editStored(target: StoredMessage, payload: MessagePayload): RestResult {
    const edited = editMessage(target.message, payload, this.lookupUser);
    if (isEmptyMessage(edited)) throw apiError(RESTJSONErrorCodes.CannotSendAnEmptyMessage);
    target.replace(edited);
    return ok(publicMessage(edited));
  }
}
