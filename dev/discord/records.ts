// What the stand-in keeps per resource, as plain records: members, bans, guilds (roles, members,
// bans, channels, commands), channels with their message histories, webhooks and interactions.
// DiscordState (state.ts) holds them; objects.ts turns them into the objects Discord returns.
import type { APIApplicationCommand, APIRole } from 'discord-api-types/v10';
import type { SandboxMessage } from './types.ts';

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
