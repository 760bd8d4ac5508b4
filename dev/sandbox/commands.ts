// A slash command from the sandbox page, sent as Discord sends it: the options built and checked
// (command-options.ts), pasted files uploaded through the stand-in's attachment route and resolved
// as Discord resolves attachments, users and channels; the invoker's and the bot's permissions as
// computed in the channel the command is typed in; then signed and POSTed to the Worker. An inline
// reply (type 4) comes back as the message Discord would make of it, so its buttons can be clicked.
import {
  type APIAttachment,
  type APIInteractionResponseCallbackData,
  type APIMessage,
  InteractionType,
  MessageType,
} from 'discord-api-types/v10';
import type { GuildSnapshot, SeedUser } from '../discord/server.ts';
import { buildCommandInteraction, randomSnowflake } from '../interactions.ts';
import {
  CommandInputError,
  type CommandRequest,
  commandOptions,
  memberPermissions,
} from './command-options.ts';
import type { SandboxGuild } from './seed.ts';
import type { InteractionOutcome, WorkerLink } from './worker-link.ts';

export interface CommandOutcome extends InteractionOutcome {
  /** For an inline reply (type 4): the message Discord shows, with an id and interaction metadata. */
  message?: APIMessage;
}

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

export async function runCommand(
  link: WorkerLink,
  setup: { applicationId: string; guild: SandboxGuild; outsiders: SeedUser[] },
  request: CommandRequest,
): Promise<CommandOutcome> {
  const guild = await link.guildState();
  const invoker = invokerOf(guild, request.invokerId ?? setup.guild.defaultInvokerId);
  const channelId = request.channelId ?? setup.guild.channels.general;
  if (!guild.channels.some((c) => c.id === channelId)) {
    throw new CommandInputError('There is no such channel in this server.');
  }
  const uploaded: Record<string, APIAttachment> = {};
  for (const [name, file] of Object.entries(request.files ?? {})) {
    if (typeof file?.text !== 'string' || file.text.trim() === '') continue;
    uploaded[name] = await link.control<APIAttachment>('/attachments', {
      filename: file.filename?.trim() || 'message.txt',
      text: file.text,
      channel_id: channelId,
    });
  }
  const { options: dataOptions, userIds, channelIds, attachments } = commandOptions(request, guild, uploaded);
  const known = new Map<string, SeedUser>();
  for (const outsider of setup.outsiders) known.set(outsider.id, outsider);
  for (const ban of guild.bans) known.set(ban.user.id, ban.user);
  const interaction = buildCommandInteraction({
    applicationId: setup.applicationId,
    guildId: guild.id,
    channelId,
    name: request.name,
    options: dataOptions,
    invoker: {
      id: invoker.id,
      username: invoker.username,
      roles: invoker.roles,
      permissions: memberPermissions(guild, invoker.id, channelId),
    },
    appPermissions: memberPermissions(guild, setup.applicationId, channelId),
    resolve: userIds.map((id) => {
      const member = guild.members.find((m) => m.user?.id === id);
      const username = member?.user?.username ?? known.get(id)?.username;
      return { id, username, roles: member ? member.roles : null };
    }),
  });
  // What buildCommandInteraction leaves out and Discord sends: the channel the command was typed
  // in, display names, and resolved channels and attachments.
  const record = interaction as unknown as Record<string, unknown> & {
    member: { user: { global_name: string | null }; nick?: string | null };
    data: { resolved: Record<string, Record<string, unknown>> };
  };
  record.channel = resolvedChannel(guild, channelId, invoker.id);
  record.member.user.global_name = invoker.global_name;
  record.member.nick = invoker.nick;
  const resolvedUsers = record.data.resolved.users as Record<string, { global_name: string | null }>;
  for (const id of userIds) {
    const member = guild.members.find((m) => m.user?.id === id);
    const found = resolvedUsers[id];
    if (found) found.global_name = member?.user?.global_name ?? known.get(id)?.global_name ?? null;
  }
  if (channelIds.length > 0) {
    record.data.resolved.channels = Object.fromEntries(
      channelIds.map((id) => [id, resolvedChannel(guild, id, invoker.id)]),
    );
  }
  if (attachments.length > 0) {
    record.data.resolved.attachments = Object.fromEntries(attachments.map((a) => [a.id, a]));
  }
  const metadata = {
    id: interaction.id,
    type: InteractionType.ApplicationCommand,
    name: request.subcommand ? `${request.name} ${request.subcommand}` : request.name,
    user: {
      id: invoker.id,
      username: invoker.username,
      discriminator: '0',
      global_name: invoker.global_name,
      avatar: null,
    },
    authorizing_integration_owners: { '0': guild.id },
  } as APIMessage['interaction_metadata'] & object;
  link.remember(interaction.token, metadata);
  const outcome: CommandOutcome = await link.send(interaction);
  const answer = outcome.body as { type?: number; data?: APIInteractionResponseCallbackData } | null;
  if (outcome.status === 200 && answer?.type === 4 && answer.data) {
    outcome.message = replyMessage(answer.data, {
      applicationId: setup.applicationId,
      channelId,
      botUser: guild.members.find((m) => m.user?.id === setup.applicationId)?.user as SeedUser | undefined,
      metadata,
    });
  }
  return outcome;
}
