// Get Guild Audit Log (`GET /guilds/{id}/audit-logs`, needs View Audit Log): one page of entries.
// With `after`, Discord returns the entries after that id oldest first; without it, newest first.
import { type APIAuditLog, type AuditLogEvent, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordApiError, type DiscordRest } from './rest.ts';

/** Discord's most entries per call. */
export const AUDIT_LOG_PAGE_LIMIT = 100;

export const getAuditLog = (
  rest: DiscordRest,
  guildId: string,
  page: {
    limit: number;
    after?: string;
    before?: string;
    /** Only entries made by this user, about this target, of this kind. */
    userId?: string;
    targetId?: string;
    actionType?: AuditLogEvent;
  },
) =>
  rest.request<APIAuditLog>('GET', `/guilds/${guildId}/audit-logs`, {
    query: {
      limit: String(page.limit),
      ...(page.after ? { after: page.after } : {}),
      ...(page.before ? { before: page.before } : {}),
      ...(page.userId ? { user_id: page.userId } : {}),
      ...(page.targetId ? { target_id: page.targetId } : {}),
      ...(page.actionType !== undefined ? { action_type: String(page.actionType) } : {}),
    },
  });

/** The bot may not read the guild's audit log (no View Audit Log, or no longer in the guild). */
export const lacksAuditLog = (error: unknown) =>
  error instanceof DiscordApiError &&
  (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess);
