// Records → the exact objects Discord returns (APIUser, APIGuild, APIGuildMember, APIBan,
// APIWebhook, APIDMChannel, APIRole), as pure functions: whoever calls passes the users involved.
import {
  type APIBan,
  type APIDMChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type APIWebhook,
  type ChannelFlags,
  ChannelType,
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
import type { BanRecord, ChannelRecord, GuildRecord, MemberRecord, WebhookRecord } from './records.ts';
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
    incidents_data: null,
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

/** The sandbox's own channel view (control API and page). */
export function channelObject(channel: ChannelRecord): SandboxChannel {
  return {
    id: channel.id,
    guild_id: channel.guildId,
    name: channel.name,
    type: channel.type,
    ...(channel.recipientId ? { recipient_id: channel.recipientId } : {}),
  };
}
