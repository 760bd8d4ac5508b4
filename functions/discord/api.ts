// Typed Discord routes the bot uses, over DiscordRest. Thin on purpose: one function per route.
import type {
  APIBan,
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIUser,
  APIWebhook,
  RESTPatchAPIInteractionOriginalResponseJSONBody,
  RESTPostAPIChannelMessageJSONBody,
  RESTPostAPIGuildBulkBanResult,
} from 'discord-api-types/v10';
import type { DiscordRest } from './rest.ts';

type Audit = { auditLogReason?: string };

export const getGuild = (rest: DiscordRest, guildId: string) =>
  rest.request<APIGuild>('GET', `/guilds/${guildId}`);

export const getMember = (rest: DiscordRest, guildId: string, userId: string) =>
  rest.request<APIGuildMember>('GET', `/guilds/${guildId}/members/${userId}`);

export const getBan = (rest: DiscordRest, guildId: string, userId: string) =>
  rest.request<APIBan>('GET', `/guilds/${guildId}/bans/${userId}`);

export const banUser = (
  rest: DiscordRest,
  guildId: string,
  userId: string,
  options: Audit & { deleteMessageSeconds: number },
) =>
  rest.request<void>('PUT', `/guilds/${guildId}/bans/${userId}`, {
    body: { delete_message_seconds: options.deleteMessageSeconds },
    auditLogReason: options.auditLogReason,
  });

export const unbanUser = (rest: DiscordRest, guildId: string, userId: string, options: Audit = {}) =>
  rest.request<void>('DELETE', `/guilds/${guildId}/bans/${userId}`, {
    auditLogReason: options.auditLogReason,
  });

export const kickMember = (rest: DiscordRest, guildId: string, userId: string, options: Audit = {}) =>
  rest.request<void>('DELETE', `/guilds/${guildId}/members/${userId}`, {
    auditLogReason: options.auditLogReason,
  });

/** Sets (a Date) or clears (null) a member's timeout. */
export const timeoutMember = (
  rest: DiscordRest,
  guildId: string,
  userId: string,
  until: Date | null,
  options: Audit = {},
) =>
  rest.request<APIGuildMember>('PATCH', `/guilds/${guildId}/members/${userId}`, {
    body: { communication_disabled_until: until ? until.toISOString() : null },
    auditLogReason: options.auditLogReason,
  });

export const openDirectMessage = (rest: DiscordRest, userId: string) =>
  rest.request<APIChannel>('POST', '/users/@me/channels', { body: { recipient_id: userId } });

export const sendMessage = (rest: DiscordRest, channelId: string, body: RESTPostAPIChannelMessageJSONBody) =>
  rest.request<APIMessage>('POST', `/channels/${channelId}/messages`, { body });

export const deleteMessage = (rest: DiscordRest, channelId: string, messageId: string, options: Audit = {}) =>
  rest.request<void>('DELETE', `/channels/${channelId}/messages/${messageId}`, {
    auditLogReason: options.auditLogReason,
  });

export const createWebhook = (rest: DiscordRest, channelId: string, name: string, options: Audit = {}) =>
  rest.request<APIWebhook>('POST', `/channels/${channelId}/webhooks`, {
    body: { name },
    auditLogReason: options.auditLogReason,
  });

export const getWebhookWithToken = (rest: DiscordRest, webhookId: string, token: string) =>
  rest.request<APIWebhook>('GET', `/webhooks/${webhookId}/${token}`, { auth: false });

export const deleteWebhook = (rest: DiscordRest, webhookId: string, options: Audit = {}) =>
  rest.request<void>('DELETE', `/webhooks/${webhookId}`, { auditLogReason: options.auditLogReason });

export const editOriginalResponse = (
  rest: DiscordRest,
  applicationId: string,
  interactionToken: string,
  body: RESTPatchAPIInteractionOriginalResponseJSONBody,
) =>
  rest.request<APIMessage>('PATCH', `/webhooks/${applicationId}/${interactionToken}/messages/@original`, {
    body,
    auth: false,
  });

/** Bans up to 200 users at once; Discord answers who was banned and who was not (500000 when none). */
export const bulkBan = (
  rest: DiscordRest,
  guildId: string,
  userIds: readonly string[],
  options: Audit & { deleteMessageSeconds: number },
) =>
  rest.request<RESTPostAPIGuildBulkBanResult>('POST', `/guilds/${guildId}/bulk-ban`, {
    body: { user_ids: userIds, delete_message_seconds: options.deleteMessageSeconds },
    auditLogReason: options.auditLogReason,
    timeoutMs: BULK_BAN_TIMEOUT_MS,
  });

/** Banning 200 users takes Discord longer than one ban. */
const BULK_BAN_TIMEOUT_MS = 15_000;

/** One page of members by user id (`limit` 1–1000, after the id `after`). */
export const listMembers = (rest: DiscordRest, guildId: string, page: { limit: number; after: string }) =>
  rest.request<APIGuildMember[]>('GET', `/guilds/${guildId}/members`, {
    query: { limit: String(page.limit), after: page.after },
  });

/** One page of bans by user id (`limit` 1–1000, after the id `after`). */
export const listBans = (rest: DiscordRest, guildId: string, page: { limit: number; after: string }) =>
  rest.request<APIBan[]>('GET', `/guilds/${guildId}/bans`, {
    query: { limit: String(page.limit), after: page.after },
  });

/** The guild with `approximate_member_count`. */
export const getGuildWithCounts = (rest: DiscordRest, guildId: string) =>
  rest.request<APIGuild>('GET', `/guilds/${guildId}`, { query: { with_counts: 'true' } });

export const getUser = (rest: DiscordRest, userId: string) =>
  rest.request<APIUser>('GET', `/users/${userId}`);
