// Guild channels with the bot token: Get Guild Channels (every channel, hidden ones included, as
// bots get them), Get Channel (View Channel there, else 50001), Modify Channel (name and slowmode,
// under Manage Channels in that channel) and Edit / Delete Channel Permissions (Manage Roles in that
// channel, overwrites included; and Discord's rule that the bot may only allow or deny permissions
// it holds itself, unless an overwrite gives it Manage Roles there). Changes write their audit-log
// entries: CHANNEL_UPDATE (11) and CHANNEL_OVERWRITE_CREATE / UPDATE / DELETE (13 / 14 / 15).
import { type APIOverwrite, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { channelUpdateEntry, overwriteEntry } from '../audit-log.ts';
import { apiError, invalidFormBody } from '../errors.ts';
import { hasSlowmode } from '../objects.ts';
import { channelPermissions, memberPermissions, overwriteAllows } from '../permissions.ts';
import { checkChannelPatch, checkOverwriteBody } from '../raid-validation.ts';
import { rules } from '../rate-limits.ts';
import type { ChannelRecord, GuildRecord } from '../records.ts';
import { byChannel, byGuild, noContent, ok, type RestContext, requireBits } from './context.ts';

export function registerChannelRoutes(ctx: RestContext): void {
  const { state } = ctx;

  const list = '/guilds/{guild_id}/channels';
  ctx.add('GET', list, { limits: ctx.defaultLimits('GET', list, byGuild) }, ({ params }) => {
    const guild = ctx.guildOf(params.guild_id!);
    ctx.botMember(guild);
    return ok(state.guildChannels(guild).map((channel) => state.guildChannel(channel, guild)));
  });

  const channel = '/channels/{channel_id}';
  ctx.add('GET', channel, { limits: ctx.defaultLimits('GET', channel, byChannel) }, ({ params }) => {
    const record = ctx.channelOf(params.channel_id!);
    if (record.guildId === null) return ok(state.dmChannelObject(record));
    const { guild } = ctx.visibleGuildChannel(record.id);
    return ok(state.guildChannel(record, guild));
  });

  ctx.add(
    'PATCH',
    channel,
    { auditLog: true, limits: ctx.botLimits(rules.channelModify, byChannel) },
    ({ params, body, auditLogReason }) => {
      const check = checkChannelPatch(body ?? {});
      if (!check.ok) throw invalidFormBody(check.errors);
      const { channel: record, guild, permissions } = ctx.visibleGuildChannel(params.channel_id!);
      requireBits(permissions, PermissionFlagsBits.ManageChannels);
      const before = { name: record.name, rate_limit_per_user: record.rateLimitPerUser };
      if (check.value.name !== undefined) record.name = check.value.name;
      // Channels without slowmode (categories, announcement channels) keep none, as on Discord.
      if (check.value.rate_limit_per_user !== undefined && hasSlowmode(record.type)) {
        record.rateLimitPerUser = check.value.rate_limit_per_user;
      }
      const after = { name: record.name, rate_limit_per_user: record.rateLimitPerUser };
      const entry = channelUpdateEntry(ctx.appId, record.id, before, after, auditLogReason);
      if (entry) state.audit(guild, entry);
      return ok(state.guildChannel(record, guild));
    },
  );

  const overwrite = '/channels/{channel_id}/permissions/{overwrite_id}';
  const overwriteLimits = { auditLog: true, limits: ctx.botLimits(rules.overwrite, byChannel) };

  const roleName = (guild: GuildRecord, id: string) => guild.roles.find((role) => role.id === id)?.name;

  ctx.add('PUT', overwrite, overwriteLimits, ({ params, body, auditLogReason }) => {
    const check = checkOverwriteBody(body ?? {});
    if (!check.ok) throw invalidFormBody(check.errors);
    const { channel: record, guild, permissions } = ctx.visibleGuildChannel(params.channel_id!);
    requireBits(permissions, PermissionFlagsBits.ManageRoles);
    const id = params.overwrite_id!;
    const index = record.overwrites.findIndex((o) => o.id === id);
    const existing = record.overwrites[index];
    const type = check.value.type ?? existing?.type;
    if (type === undefined) {
      throw invalidFormBody({
        type: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
      });
    }
    if (type === 0 && !guild.roles.some((role) => role.id === id))
      throw apiError(RESTJSONErrorCodes.UnknownRole);
    if (type === 1 && !state.users.has(id)) throw apiError(RESTJSONErrorCodes.UnknownUser);
    const { allow, deny } = check.value;
    const before = existing
      ? { allow: BigInt(existing.allow), deny: BigInt(existing.deny) }
      : { allow: 0n, deny: 0n };
    requireGrantable(ctx, guild, record, (allow ^ before.allow) | (deny ^ before.deny));
    const next: APIOverwrite = { id, type, allow: String(allow), deny: String(deny) };
    if (existing) record.overwrites[index] = next;
    else record.overwrites.push(next);
    const entry = overwriteEntry(ctx.appId, record.id, existing, next, roleName(guild, id), auditLogReason);
    if (entry) state.audit(guild, entry);
    return noContent();
  });

  ctx.add('DELETE', overwrite, overwriteLimits, ({ params, auditLogReason }) => {
    const { channel: record, guild, permissions } = ctx.visibleGuildChannel(params.channel_id!);
    requireBits(permissions, PermissionFlagsBits.ManageRoles);
    const index = record.overwrites.findIndex((o) => o.id === params.overwrite_id);
    const existing = record.overwrites[index];
    if (!existing) throw apiError(RESTJSONErrorCodes.UnknownPermissionOverwrite);
    // Deleting takes every bit the overwrite set away, which the same rule as editing governs.
    requireGrantable(ctx, guild, record, BigInt(existing.allow) | BigInt(existing.deny));
    record.overwrites.splice(index, 1);
    const entry = overwriteEntry(
      ctx.appId,
      record.id,
      existing,
      undefined,
      roleName(guild, existing.id),
      auditLogReason,
    );
    if (entry) state.audit(guild, entry);
    return noContent();
  });
}

/**
 * Discord's rule for overwrites: "only permissions your bot has in the guild or parent channel (if
 * applicable) can be allowed/denied (unless your bot has a MANAGE_ROLES overwrite in the channel)".
 * `changed` is the bits whose allow or deny the request changes; untouched bits the bot lacks may
 * stay. The check is against the guild (or the category), not the channel itself: a lock that
 * denies @everyone Send Messages takes that bit from the bot in the channel, and it can still lift it.
 */
function requireGrantable(
  ctx: RestContext,
  guild: GuildRecord,
  channel: ChannelRecord,
  changed: bigint,
): void {
  const bot = { id: ctx.appId, roles: ctx.botMember(guild).roles };
  let held = memberPermissions(guild, bot.id, bot.roles);
  const parent = channel.parentId ? ctx.state.channels.get(channel.parentId) : undefined;
  if (parent && parent.guildId === guild.id) held |= channelPermissions(guild, bot, parent.overwrites);
  if ((changed & ~held) === 0n) return;
  if (overwriteAllows(guild, bot, channel.overwrites, PermissionFlagsBits.ManageRoles)) return;
  throw apiError(RESTJSONErrorCodes.MissingPermissions);
}
