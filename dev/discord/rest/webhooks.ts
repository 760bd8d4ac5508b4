// Webhooks. With the bot token (Manage Webhooks): Create Webhook (at most 15 per channel), Get
// Channel Webhooks, Get Guild Webhooks, Get Webhook, Delete Webhook (creating and deleting write
// WEBHOOK_CREATE / WEBHOOK_DELETE to the audit log). With the webhook's own token
// (the webhook side of token-routes.ts): get, rename, delete, execute (`?wait`), and its messages.
// Components on execute and edit, as Discord documents them: a webhook the application made
// (`application_id` set: created with the bot token) always sends them; any other webhook has them
// ignored (dropped unchecked) unless the call says `with_components=true`, and then may send only
// non-interactive ones (link buttons) — an interactive one is refused with 50035.
import { type APIUser, AuditLogEvent, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { webhookEntry } from '../audit-log.ts';
import { nonOwnedWebhookErrors } from '../component-validation.ts';
import { apiError, invalidFormBody } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import { checkMessageBody, type MessagePayload } from '../message-validation.ts';
import { buildMessage, publicMessage } from '../messages.ts';
import type { GuildRecord, WebhookRecord } from '../records.ts';
import { webhookNameProblems } from '../validation.ts';
import {
  asRecord,
  byChannel,
  byGuild,
  byWebhook,
  noContent,
  ok,
  type Params,
  type RestContext,
  type RestRequest,
  required,
  storedIn,
  type TokenSide,
} from './context.ts';

const MAX_WEBHOOKS_PER_CHANNEL = 15;

function checkName(name: unknown): void {
  const problems = webhookNameProblems(name);
  if (problems) throw invalidFormBody({ name: { _errors: problems } });
}

export function registerWebhookRoutes(ctx: RestContext): void {
  const { state } = ctx;
  const asBot = (webhook: WebhookRecord) => state.webhook(webhook, { withUser: true });

  const channelWebhooks = '/channels/{channel_id}/webhooks';
  ctx.add(
    'POST',
    channelWebhooks,
    { auditLog: true, limits: ctx.defaultLimits('POST', channelWebhooks, byChannel) },
    ({ params, body, auditLogReason }) => {
      const channel = ctx.channelOf(params.channel_id!);
      const guild = ctx.guildOfChannel(channel);
      const name = asRecord(body).name;
      checkName(name);
      ctx.requirePermission(guild, PermissionFlagsBits.ManageWebhooks);
      const inChannel = [...state.webhooks.values()].filter((webhook) => webhook.channelId === channel.id);
      if (inChannel.length >= MAX_WEBHOOKS_PER_CHANNEL) {
        throw apiError(RESTJSONErrorCodes.MaximumNumberOfWebhooksReached);
      }
      const made = state.addWebhook(guild, channel.id, String(name), { creatorId: ctx.appId });
      state.audit(guild, webhookEntry(AuditLogEvent.WebhookCreate, ctx.appId, made, auditLogReason));
      return ok(asBot(made));
    },
  );

  /** Get Channel Webhooks, Get Guild Webhooks: the webhooks in the channel or guild the path names. */
  const listRoute = (
    template: string,
    major: (params: Params) => string,
    scope: (params: Params) => { guild: GuildRecord; keep: (webhook: WebhookRecord) => boolean },
  ) =>
    ctx.add('GET', template, { limits: ctx.defaultLimits('GET', template, major) }, ({ params }) => {
      const { guild, keep } = scope(params);
      ctx.requirePermission(guild, PermissionFlagsBits.ManageWebhooks);
      return ok([...state.webhooks.values()].filter(keep).map(asBot));
    });
  listRoute(channelWebhooks, byChannel, (params) => {
    const channel = ctx.channelOf(params.channel_id!);
    return { guild: ctx.guildOfChannel(channel), keep: (webhook) => webhook.channelId === channel.id };
  });
  listRoute('/guilds/{guild_id}/webhooks', byGuild, (params) => {
    const guild = ctx.guildOf(params.guild_id!);
    return { guild, keep: (webhook) => webhook.guildId === guild.id };
  });

  const webhook = '/webhooks/{webhook_id}';
  ctx.add('GET', webhook, { limits: ctx.defaultLimits('GET', webhook, byWebhook) }, ({ params }) =>
    ok(asBot(ctx.webhookForBot(params.webhook_id!))),
  );

  ctx.add(
    'DELETE',
    webhook,
    { auditLog: true, limits: ctx.defaultLimits('DELETE', webhook, byWebhook) },
    ({ params, auditLogReason }) => {
      const gone = ctx.webhookForBot(params.webhook_id!);
      state.webhooks.delete(gone.id);
      const guild = state.guilds.get(gone.guildId);
      if (guild)
        state.audit(guild, webhookEntry(AuditLogEvent.WebhookDelete, ctx.appId, gone, auditLogReason));
      return noContent();
    },
  );
}

/** Discord reads boolean query flags as Python does: "true", "True" and "1" are true. */
const queryFlag = (query: URLSearchParams, name: string) =>
  ['true', '1'].includes((query.get(name) ?? '').toLowerCase());

/** A webhook message body as Discord takes it from this webhook, with its components or without. */
function webhookPayload(
  webhook: WebhookRecord,
  body: unknown,
  query: URLSearchParams,
  options: { webhookOverrides?: boolean } = {},
): MessagePayload {
  const owned = webhook.applicationId !== null;
  const honoured = owned || queryFlag(query, 'with_components');
  const check = checkMessageBody(body ?? {}, { ...options, components: honoured ? 'check' : 'ignore' });
  if (!check.ok) throw invalidFormBody(check.errors);
  const refused = owned ? null : nonOwnedWebhookErrors(check.payload.components ?? []);
  if (refused) throw invalidFormBody(refused);
  return check.payload;
}

/** The webhook side of the token routes; PATCH on a message reads its payload with editPayload. */
export interface WebhookTokenSide extends TokenSide {
  /** An edit's payload, checked as this webhook may send it (its components honoured or not). */
  editPayload(request: RestRequest): MessagePayload;
}

/** The webhook behind /webhooks/{id}/{token}: the token in the path is the credential. */
export function webhookTokenSide(ctx: RestContext): WebhookTokenSide {
  const { state } = ctx;
  const byToken = (webhook: WebhookRecord) => state.webhook(webhook, { withUser: false });

  const message: TokenSide['message'] = (params) => {
    const webhook = ctx.webhookByToken(params);
    const messageId = params.message_id ?? '@original';
    const channel = state.channels.get(webhook.channelId);
    return storedIn(channel?.messages ?? [], (m) => m.id === messageId && m.webhook_id === webhook.id);
  };

  return {
    get: (params) => ok(byToken(ctx.webhookByToken(params))),

    update: (params, body) => {
      const webhook = ctx.webhookByToken(params);
      const fields = asRecord(body);
      if (fields.name !== undefined) {
        checkName(fields.name);
        webhook.name = String(fields.name);
      }
      return ok(byToken(webhook));
    },

    remove: (params) => {
      state.webhooks.delete(ctx.webhookByToken(params).id);
      return noContent();
    },

    execute: ({ params, body, query }) => {
      const webhook = ctx.webhookByToken(params);
      const payload = ctx.newMessage(webhookPayload(webhook, body, query, { webhookOverrides: true }));
      const channel = required(state.channels.get(webhook.channelId), RESTJSONErrorCodes.UnknownChannel);
      const message = buildMessage({
        id: nextSnowflake(),
        channelId: channel.id,
        author: webhookAuthor(webhook),
        payload,
        webhookId: webhook.id,
        ...(webhook.applicationId ? { applicationId: webhook.applicationId } : {}),
        lookupUser: ctx.lookupUser,
      });
      channel.messages.push(message);
      return queryFlag(query, 'wait') ? ok(publicMessage(message)) : noContent();
    },

    message,

    editPayload: ({ params, body, query }) => webhookPayload(ctx.webhookByToken(params), body, query),

    edit: (params, payload) => ctx.editStored(message(params), payload),
  };
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
