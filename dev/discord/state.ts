// Everything the stand-in remembers, kept per guild so concurrent tests never see each other: users,
// guilds (roles, members, bans, incident actions, audit logs), channels with their overwrites and message
// histories, webhooks, DM channels, interaction responses and application commands. The records are in records.ts; the objects
// Discord returns for them are built by objects.ts, through the thin methods at the bottom.
import {
  type APIApplicationCommand,
  type APIAuditLogEntry,
  type APIRole,
  type APIUser,
  ChannelType,
} from 'discord-api-types/v10';
import { type AuditEntryDraft, AuditLog } from './audit-log.ts';
import { discordTimestamp, newWebhookToken, nextSnowflake } from './ids.ts';
import {
  banObject,
  channelObject,
  dmChannelObject,
  guildChannelObject,
  guildObject,
  incidentsObject,
  makeRole,
  memberObject,
  unknownUser,
  userObject,
  webhookObject,
} from './objects.ts';
import type {
  BanRecord,
  ChannelRecord,
  GuildRecord,
  InteractionRecord,
  MemberRecord,
  WebhookRecord,
} from './records.ts';
import type { GuildSeed, GuildSnapshot, InteractionMessage, SeedUser } from './types.ts';

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
    this.users.set(
      applicationId,
      userObject({
        id: applicationId,
        username: 'Lockdown',
        discriminator: '0000',
        global_name: null,
        bot: true,
      }),
    );
  }

  get botUser(): APIUser {
    return this.users.get(this.applicationId)!;
  }

  upsertUser(seed: SeedUser): APIUser {
    const existing = this.users.get(seed.id);
    const user = userObject({
      id: seed.id,
      username: seed.username,
      discriminator: '0',
      global_name: seed.global_name ?? existing?.global_name ?? null,
      bot: seed.bot,
    });
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
      incidents: {
        invitesDisabledUntil: null,
        dmsDisabledUntil: null,
        raidDetectedAt: null,
        dmSpamDetectedAt: null,
      },
      auditLog: new AuditLog(),
    };
    const joinedAt = discordTimestamp();
    for (const user of seed.users ?? []) this.upsertUser(user);
    for (const member of seed.members) {
      this.upsertUser(member.user);
      guild.members.set(member.user.id, {
        userId: member.user.id,
        roles: [...member.roles],
        nick: member.nick ?? null,
        joinedAt: member.joined_at ? discordTimestamp(new Date(member.joined_at)) : joinedAt,
        communicationDisabledUntil: member.communication_disabled_until
          ? discordTimestamp(new Date(member.communication_disabled_until))
          : null,
      });
    }
    if (!seed.botAbsent)
      guild.members.set(this.applicationId, {
        userId: this.applicationId,
        roles: [...(seed.botRoleIds ?? [])],
        nick: null,
        joinedAt,
        communicationDisabledUntil: null,
      });
    (seed.channels ?? []).forEach((channel, index) => {
      this.channels.set(channel.id, {
        id: channel.id,
        guildId,
        name: channel.name,
        type: channel.type ?? ChannelType.GuildText,
        recipientId: null,
        messages: [],
        overwrites: (channel.permission_overwrites ?? []).map((o) => ({ ...o })),
        rateLimitPerUser: channel.rate_limit_per_user ?? 0,
        position: channel.position ?? index,
        parentId: channel.parent_id ?? null,
      });
      guild.channelIds.add(channel.id);
    });
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

  /** Writes an audit-log entry in the guild, dated now unless `atMs` says when it happened. */
  audit(guild: GuildRecord, entry: AuditEntryDraft, atMs: number = Date.now()): APIAuditLogEntry {
    return guild.auditLog.add(entry, atMs);
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
      overwrites: [],
      rateLimitPerUser: 0,
      position: 0,
      parentId: null,
    };
    this.channels.set(channel.id, channel);
    this.dmChannels.set(userId, channel.id);
    return channel;
  }

  /** "A raid": `count` new accounts join the guild now, with no roles; answers their ids in join order. */
  addRaiders(guild: GuildRecord, count: number, namePrefix: string): { userIds: string[]; joinedAt: string } {
    const joinedAt = discordTimestamp();
    const userIds: string[] = [];
    for (let n = 1; n <= count; n++) {
      const user = this.upsertUser({
        id: nextSnowflake(),
        username: `${namePrefix}-${guild.members.size + 1}`,
      });
      guild.members.set(user.id, {
        userId: user.id,
        roles: [],
        nick: null,
        joinedAt,
        communicationDisabledUntil: null,
      });
      userIds.push(user.id);
    }
    return { userIds, joinedAt };
  }

  /** A guild's channels, in the order they were made. */
  guildChannels(guild: GuildRecord): ChannelRecord[] {
    return [...guild.channelIds]
      .map((id) => this.channels.get(id))
      .filter((channel): channel is ChannelRecord => channel !== undefined);
  }

  interaction(token: string): InteractionRecord {
    let record = this.interactions.get(token);
    if (!record) {
      record = { channelId: nextSnowflake(), original: null, followups: [] };
      this.interactions.set(token, record);
    }
    return record;
  }

  // ---- records → Discord's objects (objects.ts), with the users they name ----

  #userOf(id: string): APIUser {
    return this.users.get(id) ?? unknownUser(id);
  }

  member(record: MemberRecord) {
    return memberObject(record, this.#userOf(record.userId));
  }

  guild(guild: GuildRecord) {
    return guildObject(guild);
  }

  ban(record: BanRecord) {
    return banObject(record, this.#userOf(record.userId));
  }

  /** As Discord returns it: with the creator when fetched with the bot token, without when fetched by token. */
  webhook(record: WebhookRecord, options: { withUser: boolean }) {
    const creator = options.withUser && record.creatorId ? this.users.get(record.creatorId) : undefined;
    return webhookObject(record, creator);
  }

  dmChannelObject(channel: ChannelRecord) {
    return dmChannelObject(channel, channel.recipientId ? this.users.get(channel.recipientId) : undefined);
  }

  channelObject(channel: ChannelRecord) {
    return channelObject(channel);
  }

  guildChannel(channel: ChannelRecord, guild: GuildRecord) {
    return guildChannelObject(channel, guild.id);
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
      channels: this.guildChannels(guild).map((channel) => this.channelObject(channel)),
      closedDms: [...guild.closedDms],
      incidents_data: incidentsObject(guild.incidents),
      auditLogEntries: guild.auditLog.read(Date.now()).length,
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
