// Typed Discord routes for a channel's messages, over DiscordRest like api.ts: Get Channel Messages
// (one page, newest first) and Bulk Delete Messages. Deleting one message is api.ts `deleteMessage`
// (re-exported here so /purge reads its calls from one place).
import type { APIMessage } from 'discord-api-types/v10';
import type { DiscordRest } from './rest.ts';

export { deleteMessage } from './api.ts';

type Audit = { auditLogReason?: string };

/** One page of Get Channel Messages: `limit` 1–100, and at most one anchor (Discord takes one). */
export type MessagePage = { limit: number } & (
  | { before?: undefined; after?: undefined }
  | { before: string; after?: undefined }
  | { after: string; before?: undefined }
);

/**
 * A channel's messages, newest first. Without Read Message History Discord answers an empty list,
 * not an error, so callers check that permission first.
 */
export const listChannelMessages = (rest: DiscordRest, channelId: string, page: MessagePage) =>
  rest.request<APIMessage[]>('GET', `/channels/${channelId}/messages`, {
    query: {
      limit: String(page.limit),
      ...(page.before !== undefined ? { before: page.before } : {}),
      ...(page.after !== undefined ? { after: page.after } : {}),
    },
  });

/**
 * Deletes 2–100 messages younger than 14 days in one call (204). Discord refuses the whole call if
 * any id is older (50034) or repeated; ids it does not know are ignored. Needs Manage Messages.
 */
export const bulkDeleteMessages = (
  rest: DiscordRest,
  channelId: string,
  messageIds: readonly string[],
  options: Audit = {},
) =>
  rest.request<void>('POST', `/channels/${channelId}/messages/bulk-delete`, {
    body: { messages: messageIds },
    auditLogReason: options.auditLogReason,
    timeoutMs: BULK_DELETE_TIMEOUT_MS,
  });

/** Deleting 100 messages can take Discord longer than one delete. */
const BULK_DELETE_TIMEOUT_MS = 10_000;
