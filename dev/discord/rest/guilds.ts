// Guilds and roles: Get Guild (with approximate counts on request, and incidents_data), Get Guild
// Roles, for a guild the bot is in (Missing Access otherwise), and Modify Guild Incident Actions
// (raid mode: invites and/or DMs paused up to 24 h ahead, under Manage Guild).
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { invalidFormBody } from '../errors.ts';
import { discordTimestamp } from '../ids.ts';
import { checkIncidentActions } from '../raid-validation.ts';
import { byGuild, ok, type RestContext } from './context.ts';

export function registerGuildRoutes(ctx: RestContext): void {
  const guild = '/guilds/{guild_id}';
  ctx.add('GET', guild, { limits: ctx.defaultLimits('GET', guild, byGuild) }, ({ params, query }) => {
    const record = ctx.guildOf(params.guild_id!);
    ctx.botMember(record);
    const body = ctx.state.guild(record);
    if (query.get('with_counts') === 'true') {
      body.approximate_member_count = record.members.size;
      body.approximate_presence_count = 0;
    }
    return ok(body);
  });

  const roles = '/guilds/{guild_id}/roles';
  ctx.add('GET', roles, { limits: ctx.defaultLimits('GET', roles, byGuild) }, ({ params }) => {
    const record = ctx.guildOf(params.guild_id!);
    ctx.botMember(record);
    return ok(record.roles.map((role) => ({ ...role })));
  });

  const incidents = '/guilds/{guild_id}/incident-actions';
  ctx.add(
    'PUT',
    incidents,
    { auditLog: true, limits: ctx.defaultLimits('PUT', incidents, byGuild) },
    ({ params, body }) => {
      const record = ctx.guildOf(params.guild_id!);
      const check = checkIncidentActions(body ?? {}, Date.now());
      if (!check.ok) throw invalidFormBody(check.errors);
      ctx.requirePermission(record, PermissionFlagsBits.ManageGuild);
      const stamp = (at: Date | null) => (at ? discordTimestamp(at) : null);
      record.incidents.invitesDisabledUntil = stamp(check.value.invitesDisabledUntil);
      record.incidents.dmsDisabledUntil = stamp(check.value.dmsDisabledUntil);
      // openapi.json's GuildIncidentsDataResponse: the two actions, as now set.
      return ok({
        invites_disabled_until: record.incidents.invitesDisabledUntil,
        dms_disabled_until: record.incidents.dmsDisabledUntil,
      });
    },
  );
}
