// Discord's REST routes (v10) over DiscordState, without HTTP: each route says whether it takes the bot
// token or a webhook/interaction token, whether it accepts X-Audit-Log-Reason, which rate-limit
// buckets it counts against, and how it answers, refusing with Discord's own codes (ApiError).
import {
  type APIApplicationCommand,
  type APIUser,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { apiError, invalidFormBody } from './errors.ts';
import { buildMessage, editMessage, publicMessage } from './messages.ts';
import { hasPermission, memberPermissions, outranks } from './permissions.ts';
import { type BucketRef, type BucketRule, defaultRule, rules } from './rate-limits.ts';
import { Router } from './router.ts';
import {
  type ChannelRecord,
  type DiscordState,
  discordTimestamp,
  type GuildRecord,
  type MemberRecord,
  nextSnowflake,
  type WebhookRecord,
} from './state.ts';
import type { SandboxMessage } from './types.ts';
import {
  checkBanBody,
  checkCommandsBody,
  checkMessageBody,
  checkTimeout,
  isEmptyMessage,
  type MessagePayload,
  webhookNameProblems,
} from './validation.ts';

export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON; undefined when the request had no body. */
  body: unknown;
  auditLogReason: string | null;
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

export interface RestRoute {
  /** `bot`: Authorization: Bot <token> required. `token`: the webhook or interaction token in the path is the credential. */
  auth: 'bot' | 'token';
  /** Routes that write an audit-log entry, where Discord reads X-Audit-Log-Reason. */
  auditLog: boolean;
  limits(params: Record<string, string>): RouteLimits;
  handle(request: RestRequest): RestResult;
}

const ok = (body: unknown): RestResult => ({ status: 200, body });
const noContent = (): RestResult => ({ status: 204 });

const UNKNOWN_GUILD = () => apiError(404, RESTJSONErrorCodes.UnknownGuild);
const UNKNOWN_MEMBER = () => apiError(404, RESTJSONErrorCodes.UnknownMember);
const UNKNOWN_USER = () => apiError(404, RESTJSONErrorCodes.UnknownUser);
const UNKNOWN_BAN = () => apiError(404, RESTJSONErrorCodes.UnknownBan);
const UNKNOWN_CHANNEL = () => apiError(404, RESTJSONErrorCodes.UnknownChannel);
const UNKNOWN_MESSAGE = () => apiError(404, RESTJSONErrorCodes.UnknownMessage);
const UNKNOWN_WEBHOOK = () => apiError(404, RESTJSONErrorCodes.UnknownWebhook);
const INVALID_WEBHOOK_TOKEN = () => apiError(401, RESTJSONErrorCodes.InvalidWebhookToken);
const MISSING_PERMISSIONS = () => apiError(403, RESTJSONErrorCodes.MissingPermissions);
const MISSING_ACCESS = () => apiError(403, RESTJSONErrorCodes.MissingAccess);
const EMPTY_MESSAGE = () => apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage);

const MAX_WEBHOOKS_PER_CHANNEL = 15;

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export function createRestRouter(state: DiscordState): Router<RestRoute> {
  const appId = state.applicationId;
  const router = new Router<RestRoute>();

  // ---- lookups and checks shared by the routes ----

  const guildOf = (id: string): GuildRecord => {
    const guild = state.guilds.get(id);
    if (!guild) throw UNKNOWN_GUILD();
    return guild;
  };
  const botMember = (guild: GuildRecord): MemberRecord => {
    const member = guild.members.get(appId);
    if (!member) throw MISSING_ACCESS();
    return member;
  };
  const botPermissions = (guild: GuildRecord) => memberPermissions(guild, appId, botMember(guild).roles);
  const requirePermission = (guild: GuildRecord, bit: bigint) => {
    if (!hasPermission(botPermissions(guild), bit)) throw MISSING_PERMISSIONS();
  };
  /** The hierarchy rule for bans, kicks and timeouts: never the owner, only members below the bot. */
  const requireOutranks = (guild: GuildRecord, target: MemberRecord) => {
    const bot = botMember(guild);
    if (!outranks(guild, { id: appId, roles: bot.roles }, { id: target.userId, roles: target.roles })) {
      throw MISSING_PERMISSIONS();
    }
  };
  const memberOf = (guild: GuildRecord, userId: string): MemberRecord => {
    const member = guild.members.get(userId);
    if (!member) throw UNKNOWN_MEMBER();
    return member;
  };
  const channelOf = (id: string): ChannelRecord => {
    const channel = state.channels.get(id);
    if (!channel) throw UNKNOWN_CHANNEL();
    return channel;
  };
  const lookupUser = (id: string): APIUser | undefined => state.users.get(id);

  /** A webhook reached by id and token: 10015 when it does not exist, 50027 when the token is wrong. */
  const webhookByToken = (id: string, token: string): WebhookRecord => {
    const webhook = state.webhooks.get(id);
    if (!webhook) throw UNKNOWN_WEBHOOK();
    if (webhook.token !== token) throw INVALID_WEBHOOK_TOKEN();
    return webhook;
  };
  const webhookForBot = (id: string): WebhookRecord => {
    const webhook = state.webhooks.get(id);
    if (!webhook) throw UNKNOWN_WEBHOOK();
    const guild = state.guilds.get(webhook.guildId);
    if (!guild) throw UNKNOWN_WEBHOOK();
    requirePermission(guild, PermissionFlagsBits.ManageWebhooks);
    return webhook;
  };
  const isInteraction = (params: Record<string, string>) => params.webhook_id === appId;

  const messagePayload = (body: unknown, options: { webhookOverrides?: boolean } = {}): MessagePayload => {
    const check = checkMessageBody(body ?? {}, options);
    if (!check.ok) throw invalidFormBody(check.errors);
    return check.payload;
  };
  const newMessage = (payload: MessagePayload) => {
    if (isEmptyMessage(payload)) throw EMPTY_MESSAGE();
    return payload;
  };

  // ---- rate-limit buckets ----

  const ref = (rule: BucketRule, major: string): BucketRef => ({ key: `${rule.name}|${major}`, rule });
  const botLimits =
    (
      rule: BucketRule | ((params: Record<string, string>) => BucketRule),
      major: (params: Record<string, string>) => string,
    ) =>
    (params: Record<string, string>): RouteLimits => ({
      global: true,
      route: ref(typeof rule === 'function' ? rule(params) : rule, major(params)),
      shared: [],
    });
  const byGuild = (params: Record<string, string>) => params.guild_id ?? '';
  const byChannel = (params: Record<string, string>) => params.channel_id ?? '';
  const byWebhook = (params: Record<string, string>) => params.webhook_id ?? '';
  const none = () => '';
  /** Webhook-token routes: per webhook, or per interaction token (outside the global limit either way). */
  const tokenLimits =
    (rule: BucketRule, options: { channelShared?: boolean } = {}) =>
    (params: Record<string, string>): RouteLimits => {
      if (isInteraction(params)) {
        return { global: false, route: ref(rules.interaction, params.webhook_token ?? ''), shared: [] };
      }
      const webhook = state.webhooks.get(params.webhook_id ?? '');
      const shared =
        options.channelShared && webhook && webhook.token === params.webhook_token
          ? [ref(rules.webhookChannel, webhook.channelId)]
          : [];
      return { global: false, route: ref(rule, params.webhook_id ?? ''), shared };
    };

  const add = (
    method: string,
    template: string,
    options: { auth?: 'bot' | 'token'; auditLog?: boolean; limits?: RestRoute['limits'] },
    handle: RestRoute['handle'],
  ) => {
    router.add(method, template, {
      auth: options.auth ?? 'bot',
      auditLog: options.auditLog ?? false,
      limits: options.limits ?? botLimits(defaultRule(`${method} ${template}`), none),
      handle,
    });
  };
  const defaultBy = (method: string, template: string, major: (params: Record<string, string>) => string) =>
    botLimits(defaultRule(`${method} ${template}`), major);

  // ---- guilds, roles, members ----

  add(
    'GET',
    '/guilds/{guild_id}',
    { limits: defaultBy('GET', '/guilds/{guild_id}', byGuild) },
    ({ params, query }) => {
      const guild = guildOf(params.guild_id!);
      botMember(guild);
      const body = state.guild(guild);
      if (query.get('with_counts') === 'true') {
        body.approximate_member_count = guild.members.size;
        body.approximate_presence_count = 0;
      }
      return ok(body);
    },
  );

  add(
    'GET',
    '/guilds/{guild_id}/roles',
    { limits: defaultBy('GET', '/guilds/{guild_id}/roles', byGuild) },
    ({ params }) => {
      const guild = guildOf(params.guild_id!);
      botMember(guild);
      return ok(guild.roles.map((role) => ({ ...role })));
    },
  );

  const memberTemplate = '/guilds/{guild_id}/members/{user_id}';
  add('GET', memberTemplate, { limits: defaultBy('GET', memberTemplate, byGuild) }, ({ params }) => {
    const guild = guildOf(params.guild_id!);
    botMember(guild);
    return ok(state.member(memberOf(guild, params.user_id!)));
  });

  add(
    'PATCH',
    memberTemplate,
    { auditLog: true, limits: botLimits(rules.memberModify, byGuild) },
    ({ params, body }) => {
      const guild = guildOf(params.guild_id!);
      const member = memberOf(guild, params.user_id!);
      const fields = asRecord(body);
      if ('communication_disabled_until' in fields) {
        const check = checkTimeout(fields.communication_disabled_until, Date.now());
        if (!check.ok) throw invalidFormBody(check.errors);
        requirePermission(guild, PermissionFlagsBits.ModerateMembers);
        // Discord refuses to time out anyone holding Administrator (the owner has every permission).
        const targetPermissions = memberPermissions(guild, member.userId, member.roles);
        if (hasPermission(targetPermissions, PermissionFlagsBits.Administrator)) throw MISSING_PERMISSIONS();
        requireOutranks(guild, member);
        member.communicationDisabledUntil = check.until ? discordTimestamp(check.until) : null;
      }
      return ok(state.member(member));
    },
  );

  add('DELETE', memberTemplate, { auditLog: true, limits: botLimits(rules.kick, byGuild) }, ({ params }) => {
    const guild = guildOf(params.guild_id!);
    const member = memberOf(guild, params.user_id!);
    requirePermission(guild, PermissionFlagsBits.KickMembers);
    requireOutranks(guild, member);
    guild.members.delete(member.userId);
    return noContent();
  });

  // ---- bans ----

  const banTemplate = '/guilds/{guild_id}/bans/{user_id}';
  add(
    'PUT',
    banTemplate,
    { auditLog: true, limits: botLimits(rules.banWrite, byGuild) },
    ({ params, body, auditLogReason }) => {
      const guild = guildOf(params.guild_id!);
      const errors = checkBanBody(body);
      if (errors) throw invalidFormBody(errors);
      requirePermission(guild, PermissionFlagsBits.BanMembers);
      const userId = params.user_id!;
      const member = guild.members.get(userId);
      if (member) requireOutranks(guild, member);
      else if (!state.users.has(userId)) throw UNKNOWN_USER();
      else if (userId === guild.ownerId) throw MISSING_PERMISSIONS();

      const fields = asRecord(body);
      const seconds =
        typeof fields.delete_message_seconds === 'number'
          ? fields.delete_message_seconds
          : typeof fields.delete_message_days === 'number'
            ? fields.delete_message_days * 86_400
            : 0;
      if (seconds > 0) {
        const since = Date.now() - seconds * 1000;
        for (const channelId of guild.channelIds) {
          const channel = state.channels.get(channelId);
          if (!channel) continue;
          channel.messages = channel.messages.filter(
            (message) => message.author.id !== userId || Date.parse(message.timestamp) < since,
          );
        }
      }
      guild.bans.set(userId, { userId, reason: auditLogReason });
      guild.members.delete(userId);
      return noContent();
    },
  );

  add('DELETE', banTemplate, { auditLog: true, limits: botLimits(rules.banWrite, byGuild) }, ({ params }) => {
    const guild = guildOf(params.guild_id!);
    requirePermission(guild, PermissionFlagsBits.BanMembers);
    if (!guild.bans.delete(params.user_id!)) throw UNKNOWN_BAN();
    return noContent();
  });

  add('GET', banTemplate, { limits: defaultBy('GET', banTemplate, byGuild) }, ({ params }) => {
    const guild = guildOf(params.guild_id!);
    requirePermission(guild, PermissionFlagsBits.BanMembers);
    const ban = guild.bans.get(params.user_id!);
    if (!ban) throw UNKNOWN_BAN();
    return ok(state.ban(ban));
  });

  add(
    'GET',
    '/guilds/{guild_id}/bans',
    { limits: defaultBy('GET', '/guilds/{guild_id}/bans', byGuild) },
    ({ params, query }) => {
      const guild = guildOf(params.guild_id!);
      requirePermission(guild, PermissionFlagsBits.BanMembers);
      const limit = query.has('limit') ? Number(query.get('limit')) : 1000;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw invalidFormBody({
          limit: {
            _errors: [
              limit > 1000
                ? { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 1000.' }
                : { code: 'NUMBER_TYPE_MIN', message: 'int value should be greater than or equal to 1.' },
            ],
          },
        });
      }
      const before = query.get('before');
      const after = query.get('after');
      let bans = [...guild.bans.values()].sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1));
      if (before) bans = bans.filter((ban) => BigInt(ban.userId) < BigInt(before)).slice(-limit);
      else if (after) bans = bans.filter((ban) => BigInt(ban.userId) > BigInt(after)).slice(0, limit);
      else bans = bans.slice(0, limit);
      return ok(bans.map((ban) => state.ban(ban)));
    },
  );

  // ---- users and DMs ----

  add('GET', '/users/@me', {}, () => ok(state.botUser));

  add('GET', '/users/{user_id}', {}, ({ params }) => {
    const user = state.users.get(params.user_id!);
    if (!user) throw UNKNOWN_USER();
    return ok(user);
  });

  add('POST', '/users/@me/channels', {}, ({ body }) => {
    const recipientId = asRecord(body).recipient_id;
    if (typeof recipientId !== 'string' || !/^\d{1,20}$/.test(recipientId)) {
      throw invalidFormBody({
        recipient_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
      });
    }
    if (!state.users.has(recipientId)) throw UNKNOWN_USER();
    return ok(state.dmChannelObject(state.dmChannel(recipientId)));
  });

  // ---- channel messages ----

  const channelMessages = '/channels/{channel_id}/messages';
  add('POST', channelMessages, { limits: botLimits(rules.messageCreate, byChannel) }, ({ params, body }) => {
    const channel = channelOf(params.channel_id!);
    const payload = newMessage(messagePayload(body));
    if (channel.guildId === null) {
      const recipient = channel.recipientId ?? '';
      // Discord answers 50007 both for closed DMs and when the bot no longer shares a guild with the user.
      if (state.dmsClosed(recipient) || !state.sharesGuildWithBot(recipient)) {
        throw apiError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser);
      }
    } else {
      const guild = guildOf(channel.guildId);
      const permissions = botPermissions(guild);
      if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel)) throw MISSING_ACCESS();
      if (!hasPermission(permissions, PermissionFlagsBits.SendMessages)) throw MISSING_PERMISSIONS();
    }
    const message = buildMessage({
      id: nextSnowflake(),
      channelId: channel.id,
      author: state.botUser,
      payload,
      lookupUser,
    });
    channel.messages.push(message);
    return ok(publicMessage(message));
  });

  const channelMessage = '/channels/{channel_id}/messages/{message_id}';
  add('GET', channelMessage, { limits: defaultBy('GET', channelMessage, byChannel) }, ({ params }) => {
    const channel = channelOf(params.channel_id!);
    if (channel.guildId !== null) {
      const permissions = botPermissions(guildOf(channel.guildId));
      if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel)) throw MISSING_ACCESS();
    }
    const message = channel.messages.find((candidate) => candidate.id === params.message_id);
    if (!message) throw UNKNOWN_MESSAGE();
    return ok(publicMessage(message));
  });

  add(
    'DELETE',
    channelMessage,
    { auditLog: true, limits: botLimits(rules.messageDelete, byChannel) },
    ({ params }) => {
      const channel = channelOf(params.channel_id!);
      const index = channel.messages.findIndex((candidate) => candidate.id === params.message_id);
      if (index < 0) throw UNKNOWN_MESSAGE();
      const message = channel.messages[index]!;
      if (message.author.id !== appId || message.webhook_id) {
        if (channel.guildId === null) throw apiError(403, RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
        requirePermission(guildOf(channel.guildId), PermissionFlagsBits.ManageMessages);
      }
      channel.messages.splice(index, 1);
      return noContent();
    },
  );

  // ---- webhooks (bot side) ----

  const channelWebhooks = '/channels/{channel_id}/webhooks';
  add(
    'POST',
    channelWebhooks,
    { auditLog: true, limits: defaultBy('POST', channelWebhooks, byChannel) },
    ({ params, body }) => {
      const channel = channelOf(params.channel_id!);
      if (channel.guildId === null) throw apiError(403, RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
      const guild = guildOf(channel.guildId);
      const name = asRecord(body).name;
      const problems = webhookNameProblems(name);
      if (problems) throw invalidFormBody({ name: { _errors: problems } });
      requirePermission(guild, PermissionFlagsBits.ManageWebhooks);
      const inChannel = [...state.webhooks.values()].filter(
        (webhook) => webhook.channelId === channel.id,
      ).length;
      if (inChannel >= MAX_WEBHOOKS_PER_CHANNEL)
        throw apiError(400, RESTJSONErrorCodes.MaximumNumberOfWebhooksReached);
      const webhook = state.addWebhook(guild, channel.id, String(name), { creatorId: appId });
      return ok(state.webhook(webhook, { withUser: true }));
    },
  );

  add('GET', channelWebhooks, { limits: defaultBy('GET', channelWebhooks, byChannel) }, ({ params }) => {
    const channel = channelOf(params.channel_id!);
    if (channel.guildId === null) throw apiError(403, RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
    requirePermission(guildOf(channel.guildId), PermissionFlagsBits.ManageWebhooks);
    const list = [...state.webhooks.values()].filter((webhook) => webhook.channelId === channel.id);
    return ok(list.map((webhook) => state.webhook(webhook, { withUser: true })));
  });

  add(
    'GET',
    '/guilds/{guild_id}/webhooks',
    { limits: defaultBy('GET', '/guilds/{guild_id}/webhooks', byGuild) },
    ({ params }) => {
      const guild = guildOf(params.guild_id!);
      requirePermission(guild, PermissionFlagsBits.ManageWebhooks);
      const list = [...state.webhooks.values()].filter((webhook) => webhook.guildId === guild.id);
      return ok(list.map((webhook) => state.webhook(webhook, { withUser: true })));
    },
  );

  add(
    'GET',
    '/webhooks/{webhook_id}',
    { limits: defaultBy('GET', '/webhooks/{webhook_id}', byWebhook) },
    ({ params }) => ok(state.webhook(webhookForBot(params.webhook_id!), { withUser: true })),
  );

  add(
    'DELETE',
    '/webhooks/{webhook_id}',
    { auditLog: true, limits: defaultBy('DELETE', '/webhooks/{webhook_id}', byWebhook) },
    ({ params }) => {
      const webhook = webhookForBot(params.webhook_id!);
      state.webhooks.delete(webhook.id);
      return noContent();
    },
  );

  // ---- webhook-token routes: incoming webhooks, and interactions when the id is the application's ----

  const byToken = '/webhooks/{webhook_id}/{webhook_token}';
  const tokenRoute = { auth: 'token' as const };

  add('GET', byToken, { ...tokenRoute, limits: tokenLimits(defaultRule(`GET ${byToken}`)) }, ({ params }) => {
    if (isInteraction(params)) throw UNKNOWN_WEBHOOK();
    return ok(state.webhook(webhookByToken(params.webhook_id!, params.webhook_token!), { withUser: false }));
  });

  add(
    'PATCH',
    byToken,
    { ...tokenRoute, limits: tokenLimits(defaultRule(`PATCH ${byToken}`)) },
    ({ params, body }) => {
      if (isInteraction(params)) throw UNKNOWN_WEBHOOK();
      const webhook = webhookByToken(params.webhook_id!, params.webhook_token!);
      const fields = asRecord(body);
      if (fields.name !== undefined) {
        const problems = webhookNameProblems(fields.name);
        if (problems) throw invalidFormBody({ name: { _errors: problems } });
        webhook.name = String(fields.name);
      }
      return ok(state.webhook(webhook, { withUser: false }));
    },
  );

  add(
    'DELETE',
    byToken,
    { ...tokenRoute, limits: tokenLimits(defaultRule(`DELETE ${byToken}`)) },
    ({ params }) => {
      if (isInteraction(params)) throw UNKNOWN_WEBHOOK();
      const webhook = webhookByToken(params.webhook_id!, params.webhook_token!);
      state.webhooks.delete(webhook.id);
      return noContent();
    },
  );

  add(
    'POST',
    byToken,
    { ...tokenRoute, limits: tokenLimits(rules.webhookExecute, { channelShared: true }) },
    ({ params, body, query }) => {
      if (isInteraction(params)) {
        // Follow-ups always answer with the message: `wait` is implied for interactions.
        const interaction = state.interaction(params.webhook_token!);
        const payload = newMessage(messagePayload(body));
        const message = buildMessage({
          id: nextSnowflake(),
          channelId: interaction.channelId,
          author: state.botUser,
          payload,
          webhookId: appId,
          applicationId: appId,
          lookupUser,
        });
        interaction.followups.push(message);
        return ok(publicMessage(message));
      }
      const webhook = webhookByToken(params.webhook_id!, params.webhook_token!);
      const payload = newMessage(messagePayload(body, { webhookOverrides: true }));
      const channel = state.channels.get(webhook.channelId);
      if (!channel) throw UNKNOWN_CHANNEL();
      const message = buildMessage({
        id: nextSnowflake(),
        channelId: channel.id,
        author: webhookAuthor(webhook),
        payload,
        webhookId: webhook.id,
        ...(webhook.applicationId ? { applicationId: webhook.applicationId } : {}),
        lookupUser,
      });
      channel.messages.push(message);
      // Discord parses the flag as Python does: "true", "True" and "1" all mean wait.
      const wait = ['true', '1'].includes((query.get('wait') ?? '').toLowerCase());
      return wait ? ok(publicMessage(message)) : noContent();
    },
  );

  /** The message a webhook or interaction route points at, with where it is kept. */
  const tokenMessage = (
    params: Record<string, string>,
  ): { message: SandboxMessage; replace(next: SandboxMessage): void; remove(): void } => {
    const messageId = params.message_id ?? '@original';
    if (isInteraction(params)) {
      const interaction = state.interaction(params.webhook_token!);
      if (messageId === '@original' || interaction.original?.id === messageId) {
        const original = interaction.original;
        if (!original) throw UNKNOWN_MESSAGE();
        return {
          message: original,
          replace: (next) => {
            interaction.original = next;
          },
          remove: () => {
            interaction.original = null;
          },
        };
      }
      const index = interaction.followups.findIndex((candidate) => candidate.id === messageId);
      if (index < 0) throw UNKNOWN_MESSAGE();
      return {
        message: interaction.followups[index]!,
        replace: (next) => {
          interaction.followups[index] = next;
        },
        remove: () => {
          interaction.followups.splice(index, 1);
        },
      };
    }
    const webhook = webhookByToken(params.webhook_id!, params.webhook_token!);
    const channel = state.channels.get(webhook.channelId);
    const index = channel?.messages.findIndex((m) => m.id === messageId && m.webhook_id === webhook.id) ?? -1;
    if (!channel || index < 0) throw UNKNOWN_MESSAGE();
    return {
      message: channel.messages[index]!,
      replace: (next) => {
        channel.messages[index] = next;
      },
      remove: () => {
        channel.messages.splice(index, 1);
      },
    };
  };

  for (const template of [`${byToken}/messages/@original`, `${byToken}/messages/{message_id}`]) {
    const limits = tokenLimits(rules.webhookMessage);
    add('GET', template, { ...tokenRoute, limits }, ({ params }) =>
      ok(publicMessage(tokenMessage(params).message)),
    );

    add('PATCH', template, { ...tokenRoute, limits }, ({ params, body }) => {
      const payload = messagePayload(body);
      const isOriginal = isInteraction(params) && (params.message_id ?? '@original') === '@original';
      if (isOriginal && !state.interaction(params.webhook_token!).original) {
        // The deferred response Discord made when the Worker answered the interaction: editing it
        // is how the bot first says something, so the original comes into being here.
        const interaction = state.interaction(params.webhook_token!);
        const message = buildMessage({
          id: nextSnowflake(),
          channelId: interaction.channelId,
          author: state.botUser,
          payload: newMessage(payload),
          webhookId: appId,
          applicationId: appId,
          lookupUser,
        });
        interaction.original = message;
        return ok(publicMessage(message));
      }
      const target = tokenMessage(params);
      const edited = editMessage(target.message, payload, lookupUser);
      if (isEmptyMessage(edited)) throw EMPTY_MESSAGE();
      target.replace(edited);
      return ok(publicMessage(edited));
    });

    add('DELETE', template, { ...tokenRoute, limits }, ({ params }) => {
      tokenMessage(params).remove();
      return noContent();
    });
  }

  // ---- application commands ----

  const commandsRoute = (guildScoped: boolean) => (request: RestRequest) => {
    const { params, method, body } = request;
    if (params.application_id !== appId) throw MISSING_ACCESS();
    let guild: GuildRecord | null = null;
    if (guildScoped) {
      guild = state.guilds.get(params.guild_id!) ?? null;
      if (!guild?.members.has(appId)) throw MISSING_ACCESS();
    }
    const current = guild ? guild.commands : state.globalCommands;
    if (method === 'GET') return ok(current);
    const errors = checkCommandsBody(body);
    if (errors) throw invalidFormBody(errors);
    const next = (body as Record<string, unknown>[]).map((definition) =>
      toCommand(definition, current, appId, guild?.id ?? null),
    );
    if (guild) guild.commands = next;
    else state.globalCommands = next;
    return ok(next);
  };
  const globalCommands = '/applications/{application_id}/commands';
  const guildCommands = '/applications/{application_id}/guilds/{guild_id}/commands';
  add('GET', globalCommands, {}, commandsRoute(false));
  add('PUT', globalCommands, {}, commandsRoute(false));
  add('GET', guildCommands, { limits: defaultBy('GET', guildCommands, byGuild) }, commandsRoute(true));
  add('PUT', guildCommands, { limits: defaultBy('PUT', guildCommands, byGuild) }, commandsRoute(true));

  return router;
}

/** A webhook's messages are authored by a pseudo-user carrying the webhook's id and name. */
function webhookAuthor(webhook: WebhookRecord): APIUser {
  return {
    id: webhook.id,
    username: webhook.name,
    avatar: null,
    discriminator: '0000',
    global_name: null,
    bot: true,
  };
}

/** Bulk overwrite keeps a command's id when one of the same type and name existed, as Discord does. */
function toCommand(
  definition: Record<string, unknown>,
  existing: readonly APIApplicationCommand[],
  applicationId: string,
  guildId: string | null,
): APIApplicationCommand {
  const type = (definition.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
  const name = String(definition.name);
  const previous = existing.find((command) => command.type === type && command.name === name);
  const permissions = definition.default_member_permissions;
  const command = {
    ...definition,
    id: previous?.id ?? nextSnowflake(),
    application_id: applicationId,
    version: nextSnowflake(),
    type,
    name,
    description: typeof definition.description === 'string' ? definition.description : '',
    default_member_permissions: typeof permissions === 'string' ? permissions : null,
    dm_permission: definition.dm_permission !== false,
    contexts: (definition.contexts as InteractionContextType[] | undefined) ?? [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
    integration_types: (definition.integration_types as ApplicationIntegrationType[] | undefined) ?? [
      ApplicationIntegrationType.GuildInstall,
    ],
    nsfw: definition.nsfw === true,
    ...(guildId ? { guild_id: guildId } : {}),
  } as APIApplicationCommand;
  return command;
}

/** Every id in a path that must be a snowflake (tokens are not). */
export function snowflakeParams(params: Record<string, string>): [string, string][] {
  return Object.entries(params).filter(
    ([name, value]) => name !== 'webhook_token' && !(name === 'message_id' && value === '@original'),
  );
}
