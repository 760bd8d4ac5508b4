// Records → the exact objects Discord returns (APIUser, APIGuild, APIGuildMember, APIBan,
// APIWebhook, APIDMChannel, guild channels, APIRole, APIIncidentsData, APIAttachment), as pure
// functions: whoever calls passes the users involved.
import {
  type APIAttachment,
  type APIBan,
  type APIDMChannel,
  type APIGuild,
  type APIGuildChannel,
  type APIGuildMember,
  type APIIncidentsData,
  type APIRole,
  type APIUser,
  type APIWebhook,
  type ChannelFlags,
  ChannelType,
  type GuildChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  type GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type RoleFlags,
  type UserFlags,
  WebhookType,
} from 'discord-api-types/v10';
import type {
  AttachmentRecord,
  BanRecord,
  ChannelRecord,
  GuildRecord,
  IncidentsRecord,
  MemberRecord,
  WebhookRecord,
} from './records.ts';
import type { SandboxChannel } from './types.ts';

/** A full user object, as Get User returns it. */
export function userObject(fields: {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  bot?: boolean | undefined;
}): APIUser {
  return {
    id: fields.id,
    username: fields.username,
    discriminator: fields.discriminator,
    global_name: fields.global_name,
    avatar: null,
    ...(fields.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** Someone the stand-in holds a record for but no user (a member of a seed without a user entry). */
export function unknownUser(id: string): APIUser {
  return { id, username: `user-${id}`, discriminator: '0', global_name: null, avatar: null };
}

export function makeRole(id: string, name: string, position: number, permissions: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function memberObject(record: MemberRecord, user: APIUser): APIGuildMember {
  return {
    user,
    nick: record.nick,
    avatar: null,
    banner: null,
    roles: [...record.roles],
    joined_at: record.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: record.communicationDisabledUntil,
  };
}

export function banObject(record: BanRecord, user: APIUser): APIBan {
  return { user, reason: record.reason };
}

export function guildObject(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles.map((role) => ({ ...role })),
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: incidentsObject(guild.incidents),
    region: 'deprecated',
  };
}

/** As Discord returns it: with the creator when fetched with the bot token (pass it), without when fetched by token. */
export function webhookObject(record: WebhookRecord, creator: APIUser | undefined): APIWebhook {
  return {
    application_id: record.applicationId,
    avatar: null,
    channel_id: record.channelId,
    guild_id: record.guildId,
    id: record.id,
    name: record.name,
    type: WebhookType.Incoming,
    ...(creator ? { user: creator } : {}),
    token: record.token,
    url: `https://discord.com/api/webhooks/${record.id}/${record.token}`,
  };
}

export function dmChannelObject(channel: ChannelRecord, recipient: APIUser | undefined): APIDMChannel {
  return {
    id: channel.id,
    type: ChannelType.DM,
    last_message_id: channel.messages.at(-1)?.id ?? null,
    flags: 0 as ChannelFlags,
    name: null,
    recipients: recipient ? [recipient] : [],
  };
}

/** The sandbox's own channel view (control API and page): a guild channel's overwrites and slowmode too. */
export function channelObject(channel: ChannelRecord): SandboxChannel {
  return {
    id: channel.id,
    guild_id: channel.guildId,
    name: channel.name,
    type: channel.type,
    ...(channel.recipientId ? { recipient_id: channel.recipientId } : {}),
    ...(channel.guildId
      ? {
          permission_overwrites: channel.overwrites.map((o) => ({ ...o })),
          rate_limit_per_user: channel.rateLimitPerUser,
          position: channel.position,
          parent_id: channel.parentId,
        }
      : {}),
  };
}

/** Channel types with slowmode, whose objects carry rate_limit_per_user (text, voice, stage, forum, media). */
const SLOWMODE_TYPES: ReadonlySet<number> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
]);
/** Channel types that hold messages, whose objects carry last_message_id. */
const MESSAGE_TYPES: ReadonlySet<number> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildVoice,
  ChannelType.GuildStageVoice,
]);

export function hasSlowmode(type: number): boolean {
  return SLOWMODE_TYPES.has(type);
}

export type GuildChannelObject = APIGuildChannel<GuildChannelType> & {
  position: number;
  rate_limit_per_user?: number;
  last_message_id?: string | null;
  topic?: string | null;
};

/** A guild channel as Get Channel and Get Guild Channels return it. */
export function guildChannelObject(channel: ChannelRecord, guildId: string): GuildChannelObject {
  return {
    id: channel.id,
    type: channel.type as GuildChannelType,
    guild_id: guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    permission_overwrites: channel.overwrites.map((o) => ({ ...o })),
    nsfw: false,
    flags: 0 as ChannelFlags,
    ...(channel.type === ChannelType.GuildCategory ? {} : { topic: null }),
    ...(MESSAGE_TYPES.has(channel.type) ? { last_message_id: channel.messages.at(-1)?.id ?? null } : {}),
    ...(SLOWMODE_TYPES.has(channel.type) ? { rate_limit_per_user: channel.rateLimitPerUser } : {}),
  };
}

/** A guild's incidents_data: null while nothing was ever set, as Discord sends it. */
export function incidentsObject(incidents: IncidentsRecord): APIIncidentsData | null {
  const data: APIIncidentsData = {
    invites_disabled_until: incidents.invitesDisabledUntil,
    dms_disabled_until: incidents.dmsDisabledUntil,
    dm_spam_detected_at: incidents.dmSpamDetectedAt,
    raid_detected_at: incidents.raidDetectedAt,
  };
  return Object.values(data).every((value) => value === null) ? null : data;
}

/**
 * An uploaded file as it appears in an interaction's resolved.attachments. `origin` is the stand-in's
 * own, which serves the file at the path cdn.discordapp.com (url) and media.discordapp.net
 * (proxy_url) use; the query carries Discord's signed-URL parameters (ex, is, hm).
 */
export function attachmentObject(record: AttachmentRecord, origin: string, signature: string): APIAttachment {
  const path = `/attachments/${record.channelId}/${record.id}/${encodeURIComponent(record.filename)}`;
  const issued = Math.floor(Date.now() / 1000);
  const query = `?ex=${(issued + 86_400).toString(16)}&is=${issued.toString(16)}&hm=${signature}&`;
  return {
    id: record.id,
    filename: record.filename,
    size: record.data.length,
    url: `${origin}${path}${query}`,
    proxy_url: `${origin}${path}${query}`,
    content_type: record.contentType,
  };
}
