// What every interaction the sandbox page sends shares: the member at the keyboard as Discord
// describes them (user, display names, roles), the channel it happens in with their permissions
// there, their user object in interaction metadata, and the message Discord makes of a type 4
// answer. Pure, over the stand-in's guild snapshot.
import {
  type APIInteractionResponseCallbackData,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type InteractionType,
  MessageType,
} from 'discord-api-types/v10';
import type { GuildSnapshot, SeedUser } from '../discord/server.ts';
import { randomSnowflake } from '../interactions.ts';
import { CommandInputError, memberPermissions } from './command-options.ts';

export interface Invoker {
  id: string;
  username: string;
  global_name: string | null;
  nick: string | null;
  roles: string[];
}

export function invokerOf(guild: GuildSnapshot, invokerId: string): Invoker {
  const member = guild.members.find((m) => m.user?.id === invokerId);
  if (!member?.user) throw new CommandInputError('Only members of the server can run commands.');
  return {
    id: invokerId,
    username: member.user.username,
    global_name: member.user.global_name ?? null,
    nick: member.nick ?? null,
    roles: member.roles,
  };
}

/** A channel as Discord resolves it in an interaction: with the invoker's permissions there. */
export function resolvedChannel(guild: GuildSnapshot, channelId: string, invokerId: string) {
  const channel = guild.channels.find((c) => c.id === channelId);
  if (!channel) return null;
  return {
    id: channelId,
    name: channel.name,
    type: channel.type,
    guild_id: guild.id,
    parent_id: channel.parent_id ?? null,
    rate_limit_per_user: channel.rate_limit_per_user ?? 0,
    permissions: String(memberPermissions(guild, invokerId, channelId)),
    flags: 0,
  };
}

/** The interaction_metadata Discord puts on the bot's answer: the interaction, its invoker, the
 * guild install it came through, and what its type adds (`extra`: a command's name, a click's message…). */
export function interactionMetadata(
  interaction: { id: string },
  type: InteractionType,
  invoker: Invoker,
  guild: GuildSnapshot,
  extra: Record<string, unknown>,
): APIMessageInteractionMetadata {
  return {
    id: interaction.id,
    type,
    user: metadataUser(invoker),
    authorizing_integration_owners: { '0': guild.id },
    ...extra,
  } as unknown as APIMessageInteractionMetadata;
}

/** The invoker as a user object in interaction metadata. */
export function metadataUser(invoker: Invoker) {
  return {
    id: invoker.id,
    username: invoker.username,
    discriminator: '0',
    global_name: invoker.global_name,
    avatar: null,
  };
}

/**
 * What the builders in dev/interactions.ts leave out and Discord sends with every interaction: the
 * channel it happened in (with the invoker's permissions there) and the invoker's display names.
 */
export function addClientFields(
  interaction: { member?: unknown },
  guild: GuildSnapshot,
  invoker: Invoker,
  channelId: string,
): void {
  const record = interaction as unknown as Record<string, unknown> & {
    member: { user: { global_name: string | null }; nick?: string | null };
  };
  record.channel = resolvedChannel(guild, channelId, invoker.id);
  record.member.user.global_name = invoker.global_name;
  record.member.nick = invoker.nick;
}

/** The message Discord makes of an interaction's type 4 answer: from the bot, on the interaction. */
export function replyMessage(
  data: APIInteractionResponseCallbackData,
  context: {
    applicationId: string;
    channelId: string;
    botUser: SeedUser | undefined;
    metadata: APIMessage['interaction_metadata'];
  },
): APIMessage {
  return {
    id: randomSnowflake(),
    type: MessageType.ChatInputCommand,
    channel_id: context.channelId,
    author: {
      id: context.applicationId,
      username: context.botUser?.username ?? 'Lockdown',
      discriminator: '0',
      global_name: context.botUser?.global_name ?? null,
      avatar: null,
      bot: true,
    },
    content: data.content ?? '',
    embeds: data.embeds ?? [],
    components: (data.components ?? []) as APIMessage['components'],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: data.flags ?? 0,
    application_id: context.applicationId,
    webhook_id: context.applicationId,
    interaction_metadata: context.metadata,
  } as APIMessage;
}
