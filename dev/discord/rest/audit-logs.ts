// Get Guild Audit Log: the guild's entries (kept 45 days, older ones pruned on read) filtered by
// user_id, target_id and action_type, paged by before / after and limit 1–100 (default 50), in
// Discord's order (audit-log-query.ts), with the users and webhooks the page references. Needs
// View Audit Log (50013 without; 50001 when the bot is not in the guild); its own per-guild bucket.
import type { APIAuditLog, APIUser } from 'discord-api-types/v10';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import {
  checkAuditLogQuery,
  referencedUserIds,
  referencedWebhookIds,
  selectEntries,
} from '../audit-log-query.ts';
import { invalidFormBody } from '../errors.ts';
import { rules } from '../rate-limits.ts';
import { byGuild, ok, type RestContext } from './context.ts';

export function registerAuditLogRoutes(ctx: RestContext): void {
  const { state } = ctx;
  const auditLogs = '/guilds/{guild_id}/audit-logs';
  ctx.add('GET', auditLogs, { limits: ctx.botLimits(rules.auditLogRead, byGuild) }, ({ params, query }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.requirePermission(guild, PermissionFlagsBits.ViewAuditLog);
    const check = checkAuditLogQuery(query);
    if (!check.ok) throw invalidFormBody(check.errors);
    const entries = selectEntries(guild.auditLog.read(Date.now()), check.value);
    const users = referencedUserIds(entries)
      .map((id) => state.users.get(id))
      .filter((user): user is APIUser => user !== undefined);
    const webhooks = referencedWebhookIds(entries)
      .map((id) => state.webhooks.get(id))
      .filter((webhook) => webhook !== undefined)
      .map((webhook) => {
        // The audit log names webhooks; it never hands out their tokens.
        const { token: _token, url: _url, ...named } = state.webhook(webhook, { withUser: true });
        return named;
      });
    const body: APIAuditLog = {
      audit_log_entries: entries,
      users,
      integrations: [],
      webhooks,
      guild_scheduled_events: [],
      threads: [],
      application_commands: [],
      auto_moderation_rules: [],
    };
    return ok(body);
  });
}
