// Guild bans: Create Guild Ban (deleting the user's recent messages on request), Remove Guild Ban,
// Get Guild Ban and Get Guild Bans (paged by user id), all under Ban Members; and Bulk Guild Ban
// (up to 200 users, under Ban Members and Manage Guild), which bans whom it can and lists the rest.
// Each ban and unban writes its audit-log entry (moderation.ts); Bulk Guild Ban writes one
// MEMBER_BAN_ADD per banned user with `user_id` null, as Discord does (discord-api-docs#8188).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { ApiError, apiError, invalidFormBody } from '../errors.ts';
import { banUser, unbanUser } from '../moderation.ts';
import { checkBulkBanBody } from '../raid-validation.ts';
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
      requireBannable(ctx, guild, userId);
      const fields = asRecord(body);
      const seconds =
        typeof fields.delete_message_seconds === 'number'
          ? fields.delete_message_seconds
          : typeof fields.delete_message_days === 'number'
            ? fields.delete_message_days * DAY_SECONDS
            : 0;
      banUser(state, guild, userId, seconds, { actorId: ctx.appId, reason: auditLogReason });
      return noContent();
    },
  );

  const bulk = '/guilds/{guild_id}/bulk-ban';
  ctx.add(
    'POST',
    bulk,
    { auditLog: true, limits: ctx.botLimits(rules.bulkBan, byGuild) },
    ({ params, body, auditLogReason }) => {
      const guild = ctx.guildOf(params.guild_id!);
      const check = checkBulkBanBody(body ?? {});
      if (!check.ok) throw invalidFormBody(check.errors);
      ctx.requirePermission(guild, PermissionFlagsBits.BanMembers | PermissionFlagsBits.ManageGuild);
      const banned: string[] = [];
      const failed: string[] = [];
      for (const userId of check.value.userIds) {
        // As Discord does: the bot itself is left out of both lists, and a user already banned is
        // "failed" (not banned again, the ban's reason kept).
        if (userId === ctx.appId) continue;
        if (guild.bans.has(userId) || !canBan(ctx, guild, userId)) {
          failed.push(userId);
          continue;
        }
        // Discord's entries for a bulk ban carry no user_id (discord-api-docs#8188, open): a reader of
        // the log cannot tell the bot's bulk bans from anyone's by the actor.
        banUser(state, guild, userId, check.value.deleteMessageSeconds, {
          actorId: null,
          reason: auditLogReason,
        });
        banned.push(userId);
      }
      if (banned.length === 0) throw apiError(RESTJSONErrorCodes.FailedToBanUsers);
      return ok({ banned_users: banned, failed_users: failed });
    },
  );

  ctx.add(
    'DELETE',
    ban,
    { auditLog: true, limits: ctx.botLimits(rules.banWrite, byGuild) },
    ({ params, auditLogReason }) => {
      const guild = ctx.guildOf(params.guild_id!);
      ctx.requirePermission(guild, PermissionFlagsBits.BanMembers);
      const lifted = unbanUser(state, guild, params.user_id!, { actorId: ctx.appId, reason: auditLogReason });
      if (!lifted) throw apiError(RESTJSONErrorCodes.UnknownBan);
      return noContent();
    },
  );

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

/**
 * Whom the bot may ban: a member below its highest role, or a user Discord knows who is not a
 * member; never the owner. Unknown User or Missing Permissions otherwise.
 */
function requireBannable(ctx: RestContext, guild: GuildRecord, userId: string): void {
  const member = guild.members.get(userId);
  if (member) ctx.requireOutranks(guild, member);
  else if (!ctx.state.users.has(userId)) throw apiError(RESTJSONErrorCodes.UnknownUser);
  else if (userId === guild.ownerId) throw apiError(RESTJSONErrorCodes.MissingPermissions);
}

function canBan(ctx: RestContext, guild: GuildRecord, userId: string): boolean {
  try {
    requireBannable(ctx, guild, userId);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  }
}
