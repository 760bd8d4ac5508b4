// Everything the stand-in remembers, kept per guild so concurrent tests never see each other: users,
// guilds (roles, members, bans), channels and their message histories, webhooks, DM channels,
// interaction responses and application commands; plus the builders that turn records into the
// exact objects Discord returns (APIGuild, APIGuildMember, APIMessage, APIWebhook…).
import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommand,
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
import type {
  GuildSeed,
  GuildSnapshot,
  InteractionMessage,
  SandboxChannel,
  SandboxMessage,
  SeedUser,
} from './types.ts';

const DISCORD_EPOCH = 1_420_070_400_000n;
let lastTimestamp = 0n;
let increment = 0n;

/** A fresh snowflake: creation time in the high bits, so ids sort by age as Discord's do. */
export function nextSnowflake(nowMs: number = Date.now()): string {
  const timestamp = BigInt(nowMs) - DISCORD_EPOCH;
  if (timestamp === lastTimestamp) increment = (increment + 1n) & 0xfffn;
  else increment = 0n;
  lastTimestamp = timestamp;
  return ((timestamp << 22n) | (1n << 17n) | increment).toString();
}

/** Discord's timestamp format: microseconds and an explicit offset, e.g. 2024-01-01T00:00:00.000000+00:00. */
export function discordTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '000+00:00');
}

export function newWebhookToken(): string {
  return randomBytes(51).toString('base64url');
}

export interface MemberRecord {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
  communicationDisabledUntil: string | null;
}

export interface BanRecord {
  userId: string;
  reason: string | null;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  members: Map<string, MemberRecord>;
  bans: Map<string, BanRecord>;
  channelIds: Set<string>;
  closedDms: Set<string>;
  commands: APIApplicationCommand[];
}

export interface ChannelRecord {
  id: string;
  guildId: string | null;
  name: string;
  type: number;
  recipientId: string | null;
  messages: SandboxMessage[];
}

export interface WebhookRecord {
  id: string;
  token: string;
  channelId: string;
  guildId: string;
  name: string;
  /** Who made it: the bot (through the API) or, for seeded webhooks, nobody the API knows. */
  creatorId: string | null;
  applicationId: string | null;
}

export interface InteractionRecord {
  channelId: string;
  original: SandboxMessage | null;
  followups: SandboxMessage[];
}

export class DiscordState {
  readonly applicationId: string;
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  /** User id → DM channel id; stable so the bot gets the same channel every time, as on Discord. */
  readonly dmChannels = new Map<string, string>();
  readonly interactions = new Map<string, InteractionRecord>();
  globalCommands: APIApplicationCommand[] = [];

  constructor(applicationId: string) {
    this.applicationId = applicationId;
    this.users.set(applicationId, {
      id: applicationId,
      username: 'Lockdown',
      discriminator: '0000',
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    });
  }

  get botUser(): APIUser {
    return this.users.get(this.applicationId)!;
  }

  upsertUser(seed: SeedUser): APIUser {
    const existing = this.users.get(seed.id);
    const user: APIUser = {
      id: seed.id,
      username: seed.username,
      discriminator: '0',
      global_name: seed.global_name ?? existing?.global_name ?? null,
      avatar: null,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
      ...(seed.bot ? { bot: true } : {}),
    };
    this.users.set(seed.id, user);
    return user;
  }

  /** Replaces one guild's state; other guilds (and their tests) are untouched. */
  seedGuild(guildId: string, seed: GuildSeed): GuildRecord {
    this.dropGuild(guildId);
    const roles: APIRole[] = seed.roles.map((role) =>
      makeRole(role.id, role.name ?? `role-${role.id}`, role.position, role.permissions),
    );
    if (!roles.some((role) => role.id === guildId)) roles.unshift(makeRole(guildId, '@everyone', 0, '0'));
    const guild: GuildRecord = {
      id: guildId,
      name: seed.name ?? `guild-${guildId}`,
      ownerId: seed.ownerId,
      roles,
      members: new Map(),
      bans: new Map(),
      channelIds: new Set(),
      closedDms: new Set(seed.closedDms ?? []),
      commands: [],
    };
    const joinedAt = discordTimestamp();
    for (const user of seed.users ?? []) this.upsertUser(user);
    for (const member of seed.members) {
      this.upsertUser(member.user);
      guild.members.set(member.user.id, {
        userId: member.user.id,
        roles: [...member.roles],
        nick: member.nick ?? null,
        joinedAt,
        communicationDisabledUntil: member.communication_disabled_until
          ? discordTimestamp(new Date(member.communication_disabled_until))
          : null,
      });
    }
    guild.members.set(this.applicationId, {
      userId: this.applicationId,
      roles: [...(seed.botRoleIds ?? [])],
      nick: null,
      joinedAt,
      communicationDisabledUntil: null,
    });
    for (const channel of seed.channels ?? []) {
      this.channels.set(channel.id, {
        id: channel.id,
        guildId,
        name: channel.name,
        type: channel.type ?? ChannelType.GuildText,
        recipientId: null,
        messages: [],
      });
      guild.channelIds.add(channel.id);
    }
    this.guilds.set(guildId, guild);
    for (const webhook of seed.webhooks ?? []) {
      this.addWebhook(guild, webhook.channel_id, webhook.name ?? 'Captain Hook', {
        id: webhook.id,
        token: webhook.token,
        creatorId: null,
      });
    }
    return guild;
  }

  private dropGuild(guildId: string): void {
    const old = this.guilds.get(guildId);
    if (!old) return;
    for (const channelId of old.channelIds) this.channels.delete(channelId);
    for (const [id, webhook] of this.webhooks) if (webhook.guildId === guildId) this.webhooks.delete(id);
    this.guilds.delete(guildId);
  }

  addWebhook(
    guild: GuildRecord,
    channelId: string,
    name: string,
    options: { id?: string | undefined; token?: string | undefined; creatorId: string | null },
  ): WebhookRecord {
    const webhook: WebhookRecord = {
      id: options.id ?? nextSnowflake(),
      token: options.token ?? newWebhookToken(),
      channelId,
      guildId: guild.id,
      name,
      creatorId: options.creatorId,
      applicationId: options.creatorId === this.applicationId ? this.applicationId : null,
    };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  /** Whether the bot shares a guild with the user, which Discord requires before it may DM them. */
  sharesGuildWithBot(userId: string): boolean {
    for (const guild of this.guilds.values()) {
      if (guild.members.has(userId) && guild.members.has(this.applicationId)) return true;
    }
    return false;
  }

  dmsClosed(userId: string): boolean {
    for (const guild of this.guilds.values()) if (guild.closedDms.has(userId)) return true;
    return false;
  }

  /** The DM channel with a user, made on first use and kept. */
  dmChannel(userId: string): ChannelRecord {
    const existingId = this.dmChannels.get(userId);
    const existing = existingId ? this.channels.get(existingId) : undefined;
    if (existing) return existing;
    const channel: ChannelRecord = {
      id: nextSnowflake(),
      guildId: null,
      name: '',
      type: ChannelType.DM,
      recipientId: userId,
      messages: [],
    };
    this.channels.set(channel.id, channel);
    this.dmChannels.set(userId, channel.id);
    return channel;
  }

  interaction(token: string): InteractionRecord {
    let record = this.interactions.get(token);
    if (!record) {
      record = { channelId: nextSnowflake(), original: null, followups: [] };
      this.interactions.set(token, record);
    }
    return record;
  }

  // ---- builders: records → Discord's objects ----

  member(record: MemberRecord): APIGuildMember {
    const user = this.users.get(record.userId);
    return {
      user: user ?? unknownUser(record.userId),
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

  guild(guild: GuildRecord): APIGuild {
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

  ban(record: BanRecord): APIBan {
    return { user: this.users.get(record.userId) ?? unknownUser(record.userId), reason: record.reason };
  }

  /** As Discord returns it: with the creator when fetched with the bot token, without when fetched by token. */
  webhook(record: WebhookRecord, options: { withUser: boolean }): APIWebhook {
    const creator = record.creatorId ? this.users.get(record.creatorId) : undefined;
    return {
      application_id: record.applicationId,
      avatar: null,
      channel_id: record.channelId,
      guild_id: record.guildId,
      id: record.id,
      name: record.name,
      type: WebhookType.Incoming,
      ...(options.withUser && creator ? { user: creator } : {}),
      token: record.token,
      url: `https://discord.com/api/webhooks/${record.id}/${record.token}`,
    };
  }

  dmChannelObject(channel: ChannelRecord): APIDMChannel {
    const recipient = channel.recipientId ? this.users.get(channel.recipientId) : undefined;
    return {
      id: channel.id,
      type: ChannelType.DM,
      last_message_id: channel.messages.at(-1)?.id ?? null,
      flags: 0 as ChannelFlags,
      name: null,
      recipients: recipient ? [recipient] : [],
    };
  }

  channelObject(channel: ChannelRecord): SandboxChannel {
    return {
      id: channel.id,
      guild_id: channel.guildId,
      name: channel.name,
      type: channel.type,
      ...(channel.recipientId ? { recipient_id: channel.recipientId } : {}),
    };
  }

  snapshot(guild: GuildRecord): GuildSnapshot {
    return {
      id: guild.id,
      name: guild.name,
      ownerId: guild.ownerId,
      roles: guild.roles.map((role) => ({ ...role })),
      members: [...guild.members.values()].map((member) => this.member(member)),
      bans: [...guild.bans.values()].map((ban) => this.ban(ban)),
      webhooks: [...this.webhooks.values()]
        .filter((webhook) => webhook.guildId === guild.id)
        .map((webhook) => this.webhook(webhook, { withUser: true })),
      channels: [...guild.channelIds]
        .map((id) => this.channels.get(id))
        .filter((channel): channel is ChannelRecord => channel !== undefined)
        .map((channel) => this.channelObject(channel)),
      closedDms: [...guild.closedDms],
    };
  }

  interactionMessages(token: string): InteractionMessage[] {
    const record = this.interactions.get(token);
    if (!record) return [];
    const messages: InteractionMessage[] = [];
    if (record.original) messages.push({ ...record.original, original: true });
    for (const followup of record.followups) messages.push({ ...followup, original: false });
    return messages;
  }
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

function unknownUser(id: string): APIUser {
  return { id, username: `user-${id}`, discriminator: '0', global_name: null, avatar: null };
}
