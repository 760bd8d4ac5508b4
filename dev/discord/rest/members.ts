// Guild members: List Guild Members (by user id, `after` and `limit` 1–1000; the stand-in's bot
// has the Server Members intent), Get Guild Member, Modify Guild Member (timeouts: Moderate Members,
// never an administrator, only below the bot) and Remove Guild Member (kick: Kick Members, only
// below the bot). Timeouts and kicks write their audit-log entries (moderation.ts).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, invalidFormBody } from '../errors.ts';
import { discordTimestamp } from '../ids.ts';
import { kickMember, setTimeoutUntil } from '../moderation.ts';
import { hasPermission, memberPermissions } from '../permissions.ts';
import { checkMembersQuery } from '../raid-validation.ts';
import { rules } from '../rate-limits.ts';
import { checkTimeout } from '../validation.ts';
import { asRecord, byGuild, noContent, ok, type RestContext } from './context.ts';

export function registerMemberRoutes(ctx: RestContext): void {
  const members = '/guilds/{guild_id}/members';
  ctx.add('GET', members, { limits: ctx.defaultLimits('GET', members, byGuild) }, ({ params, query }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.botMember(guild);
    const check = checkMembersQuery(query);
    if (!check.ok) throw invalidFormBody(check.errors);
    const { after, limit } = check.value;
    const page = [...guild.members.values()]
      .filter((m) => BigInt(m.userId) > after)
      .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
      .slice(0, limit);
    return ok(page.map((m) => ctx.state.member(m)));
  });

  const member = '/guilds/{guild_id}/members/{user_id}';

  ctx.add('GET', member, { limits: ctx.defaultLimits('GET', member, byGuild) }, ({ params }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.botMember(guild);
    return ok(ctx.state.member(ctx.memberOf(guild, params.user_id!)));
  });

  ctx.add(
    'PATCH',
    member,
    { auditLog: true, limits: ctx.botLimits(rules.memberModify, byGuild) },
    ({ params, body, auditLogReason }) => {
      const guild = ctx.guildOf(params.guild_id!);
      const target = ctx.memberOf(guild, params.user_id!);
      const fields = asRecord(body);
      if ('communication_disabled_until' in fields) {
        const check = checkTimeout(fields.communication_disabled_until, Date.now());
        if (!check.ok) throw invalidFormBody(check.errors);
        ctx.requirePermission(guild, PermissionFlagsBits.ModerateMembers);
        // Discord refuses to time out anyone holding Administrator (the owner has every permission).
        const targetPermissions = memberPermissions(guild, target.userId, target.roles);
        if (hasPermission(targetPermissions, PermissionFlagsBits.Administrator))
          throw apiError(RESTJSONErrorCodes.MissingPermissions);
        ctx.requireOutranks(guild, target);
        const until = check.until ? discordTimestamp(check.until) : null;
        setTimeoutUntil(ctx.state, guild, target, until, { actorId: ctx.appId, reason: auditLogReason });
      }
      return ok(ctx.state.member(target));
    },
  );

  ctx.add(
    'DELETE',
    member,
    { auditLog: true, limits: ctx.botLimits(rules.kick, byGuild) },
    ({ params, auditLogReason }) => {
      const guild = ctx.guildOf(params.guild_id!);
      const target = ctx.memberOf(guild, params.user_id!);
      ctx.requirePermission(guild, PermissionFlagsBits.KickMembers);
      ctx.requireOutranks(guild, target);
      kickMember(ctx.state, guild, target, { actorId: ctx.appId, reason: auditLogReason });
      return noContent();
    },
  );
}
