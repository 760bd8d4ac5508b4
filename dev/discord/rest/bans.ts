// Guild bans: Create Guild Ban (deleting the user's recent messages on request), Remove Guild Ban,
// Get Guild Ban and Get Guild Bans (paged by user id), all under Ban Members.
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, invalidFormBody } from '../errors.ts';
import { rules } from '../rate-limits.ts';
import type { GuildRecord } from '../records.ts';
import { checkBanBody } from '../validation.ts';
import { asRecord, byGuild, noContent, ok, type RestContext } from './context.ts';

const DAY_SECONDS = 86_400;
const MAX_PAGE = 1000;

export function registerBanRoutes(ctx: RestContext): void {
  const { state } = ctx;
  const ban = '/guilds/{guild_id}/bans/{user_id}';

  ctx.add(
    'PUT',
    ban,
    { auditLog: true, limits: ctx.botLimits(rules.banWrite, byGuild) },
    ({ params, body, auditLogReason }) => {
      const guild = ctx.guildOf(params.guild_id!);
      const errors = checkBanBody(body);
      if (errors) throw invalidFormBody(errors);
      ctx.requirePermission(guild, PermissionFlagsBits.BanMembers);
      const userId = params.user_id!;
      const member = guild.members.get(userId);
      if (member) ctx.requireOutranks(guild, member);
      else if (!state.users.has(userId)) throw apiError(RESTJSONErrorCodes.UnknownUser);
      else if (userId === guild.ownerId) throw apiError(RESTJSONErrorCodes.MissingPermissions);

      const fields = asRecord(body);
      const seconds =
        typeof fields.delete_message_seconds === 'number'
          ? fields.delete_message_seconds
          : typeof fields.delete_message_days === 'number'
            ? fields.delete_message_days * DAY_SECONDS
            : 0;
      if (seconds > 0) deleteRecentMessages(ctx, guild, userId, Date.now() - seconds * 1000);
      guild.bans.set(userId, { userId, reason: auditLogReason });
      guild.members.delete(userId);
      return noContent();
    },
  );

  ctx.add('DELETE', ban, { auditLog: true, limits: ctx.botLimits(rules.banWrite, byGuild) }, ({ params }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.requirePermission(guild, PermissionFlagsBits.BanMembers);
    if (!guild.bans.delete(params.user_id!)) throw apiError(RESTJSONErrorCodes.UnknownBan);
    return noContent();
  });

  ctx.add('GET', ban, { limits: ctx.defaultLimits('GET', ban, byGuild) }, ({ params }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.requirePermission(guild, PermissionFlagsBits.BanMembers);
    const record = guild.bans.get(params.user_id!);
    if (!record) throw apiError(RESTJSONErrorCodes.UnknownBan);
    return ok(state.ban(record));
  });

  const bans = '/guilds/{guild_id}/bans';
  ctx.add('GET', bans, { limits: ctx.defaultLimits('GET', bans, byGuild) }, ({ params, query }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.requirePermission(guild, PermissionFlagsBits.BanMembers);
    const limit = query.has('limit') ? Number(query.get('limit')) : MAX_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw invalidFormBody({
        limit: {
          _errors: [
            limit > MAX_PAGE
              ? { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 1000.' }
              : { code: 'NUMBER_TYPE_MIN', message: 'int value should be greater than or equal to 1.' },
          ],
        },
      });
    }
    const before = query.get('before');
    const after = query.get('after');
    let page = [...guild.bans.values()].sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1));
    if (before) page = page.filter((entry) => BigInt(entry.userId) < BigInt(before)).slice(-limit);
    else if (after) page = page.filter((entry) => BigInt(entry.userId) > BigInt(after)).slice(0, limit);
    else page = page.slice(0, limit);
    return ok(page.map((entry) => state.ban(entry)));
  });
}

/** A ban's delete_message_seconds: the user's messages since `since` go from every channel of the guild. */
function deleteRecentMessages(ctx: RestContext, guild: GuildRecord, userId: string, since: number): void {
  for (const channelId of guild.channelIds) {
    const channel = ctx.state.channels.get(channelId);
    if (!channel) continue;
    channel.messages = channel.messages.filter(
      (message) => message.author.id !== userId || Date.parse(message.timestamp) < since,
    );
  }
}
