// What the stand-in keeps per resource, as plain records: members, bans, guilds (roles, members,
// bans, channels, commands, incident actions, the audit log), channels with their overwrites and message histories,
// webhooks, interactions and uploaded attachments.
// DiscordState (state.ts) holds them; objects.ts turns them into the objects Discord returns.
import type { APIApplicationCommand, APIOverwrite, APIRole } from 'discord-api-types/v10';
import type { AuditLog } from './audit-log.ts';
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
  incidents: IncidentsRecord;
  /** Every audited action, oldest first (audit-log.ts). */
  auditLog: AuditLog;
}

/** A guild's incident actions (raid mode) and Discord's own detections; ISO timestamps or null. */
export interface IncidentsRecord {
  invitesDisabledUntil: string | null;
  dmsDisabledUntil: string | null;
  raidDetectedAt: string | null;
  dmSpamDetectedAt: string | null;
}

export interface ChannelRecord {
  id: string;
  guildId: string | null;
  name: string;
  type: number;
  recipientId: string | null;
  messages: SandboxMessage[];
  /** Guild channels only (empty for DMs), in the order Discord keeps them: as set. */
  overwrites: APIOverwrite[];
  /** Slowmode in seconds, 0 when off. */
  rateLimitPerUser: number;
  position: number;
  parentId: string | null;
}

/** A file uploaded through the control API, served at its CDN-like URL. */
export interface AttachmentRecord {
  id: string;
  channelId: string;
  filename: string;
  contentType: string;
  data: Buffer;
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
