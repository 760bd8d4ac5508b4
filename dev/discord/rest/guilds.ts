// Guilds and roles: Get Guild (with approximate counts on request) and Get Guild Roles, for a guild
// the bot is in (Missing Access otherwise).
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
}
