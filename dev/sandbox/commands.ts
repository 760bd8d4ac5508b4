// A slash command from the sandbox page, sent as Discord sends it: the options built and checked
// (command-options.ts), pasted files uploaded through the stand-in's attachment route and resolved
// as Discord resolves attachments, users and channels; the invoker's and the bot's permissions as
// computed in the channel the command is typed in; then signed and POSTed to the Worker. An inline
// reply (type 4) comes back as the message Discord would make of it, so its buttons can be clicked;
// a modal (type 9) is kept for its submit (modal-submit.ts).
import { type APIAttachment, type APIMessage, InteractionType, MessageType } from 'discord-api-types/v10';
import type { GuildSnapshot, SeedUser } from '../discord/server.ts';
import { buildCommandInteraction } from '../interactions.ts';
import { type AnswerContext, type ShapedOutcome, shapeAnswer } from './answers.ts';
import {
  CommandInputError,
  type CommandRequest,
  commandOptions,
  memberPermissions,
} from './command-options.ts';
import {
  addClientFields,
  type Invoker,
  interactionMetadata,
  invokerOf,
  resolvedChannel,
} from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { WorkerLink } from './worker-link.ts';

/** For an inline reply (type 4): `message`, the message Discord shows; for a modal (9): `modal`. */
export type CommandOutcome = ShapedOutcome;

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
    ...interactionParty(setup.applicationId, guild, invoker, channelId),
    name: request.name,
    options: dataOptions,
    resolve: userIds.map((id) => {
      const member = guild.members.find((m) => m.user?.id === id);
      const username = member?.user?.username ?? known.get(id)?.username;
      return { id, username, roles: member ? member.roles : null };
    }),
  });
  // What buildCommandInteraction leaves out and Discord sends: the channel the command was typed
  // in, display names, and resolved channels and attachments.
  addClientFields(interaction, guild, invoker, channelId);
  const record = interaction as unknown as { data: { resolved: Record<string, Record<string, unknown>> } };
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
  const metadata = interactionMetadata(interaction, InteractionType.ApplicationCommand, invoker, guild, {
    name: request.subcommand ? `${request.name} ${request.subcommand}` : request.name,
  });
  const where = { applicationId: setup.applicationId, guild, invoker, channelId };
  return sendCommandInteraction(link, interaction, where, metadata, MessageType.ChatInputCommand);
}

/** Who an interaction from the sandbox comes from and where: the member's and the bot's permissions
 * as computed in that channel, the fields every guild interaction builder takes. */
export function interactionParty(
  applicationId: string,
  guild: GuildSnapshot,
  invoker: Invoker,
  channelId: string,
) {
  return {
    applicationId,
    guildId: guild.id,
    channelId,
    invoker: {
      id: invoker.id,
      username: invoker.username,
      roles: invoker.roles,
      permissions: memberPermissions(guild, invoker.id, channelId),
    },
    appPermissions: memberPermissions(guild, applicationId, channelId),
  };
}

/** Sends an interaction to the Worker and shapes its answer as Discord would show it; its metadata is
 * remembered first, for the follow-ups and edits the bot makes with its token. */
export async function sendInteraction(
  link: WorkerLink,
  interaction: { id: string; token: string },
  context: AnswerContext & { metadata: NonNullable<APIMessage['interaction_metadata']> },
): Promise<ShapedOutcome> {
  link.remember(interaction.token, context.metadata);
  return shapeAnswer(await link.send(interaction), context);
}

/** Sends a command interaction (slash or context menu) and shapes its answer; the interaction's
 * metadata is remembered for its follow-ups, and a modal answer (type 9) is kept for its submit,
 * which modal-submit.ts sends. */
export async function sendCommandInteraction(
  link: WorkerLink,
  interaction: { id: string; token: string },
  where: { applicationId: string; guild: GuildSnapshot; invoker: Invoker; channelId: string },
  metadata: APIMessage['interaction_metadata'] & object,
  messageType: MessageType,
): Promise<CommandOutcome> {
  const { applicationId, guild, invoker, channelId } = where;
  const outcome = await sendInteraction(link, interaction, {
    kind: 'command',
    applicationId,
    channelId,
    guild,
    metadata,
    messageType,
  });
  if (outcome.modal) {
    link.rememberModal(interaction.token, {
      modal: outcome.modal,
      channelId,
      invokerId: invoker.id,
      trigger: metadata,
    });
  }
  return outcome;
}
