// Get Guild Audit Log (`GET /guilds/{id}/audit-logs`, needs View Audit Log): one page of entries.
// With `after`, Discord returns the entries after that id oldest first; without it, newest first.
import type { APIAuditLog } from 'discord-api-types/v10';
import type { DiscordRest } from './rest.ts';

/** Discord's most entries per call. */
export const AUDIT_LOG_PAGE_LIMIT = 100;

export const getAuditLog = (
  rest: DiscordRest,
  guildId: string,
  page: { limit: number; after?: string; before?: string },
) =>
  rest.request<APIAuditLog>('GET', `/guilds/${guildId}/audit-logs`, {
    query: {
      limit: String(page.limit),
      ...(page.after ? { after: page.after } : {}),
      ...(page.before ? { before: page.before } : {}),
    },
  });
