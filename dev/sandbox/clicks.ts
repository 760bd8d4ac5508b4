// A button clicked on the sandbox page, sent as Discord sends it: a MESSAGE_COMPONENT interaction
// (dev/interactions.ts) with the message the button is on, the clicker as the member with their
// permissions in that channel, and the bot's; refused, as Discord's client refuses, when the message
// has no such button or it is disabled. The Worker's answer comes back with what Discord would show:
// type 4 a new message, type 7 the message updated in place; type 6 (deferred update) shows nothing
// until the bot edits @original with the click's token, which the page reads from the stand-in.
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIInteractionResponseCallbackData,
  type APIMessage,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import type { SeedUser } from '../discord/server.ts';
import { buildComponentInteraction } from '../interactions.ts';
import { CommandInputError, memberPermissions } from './command-options.ts';
import { invokerOf, replyMessage, resolvedChannel } from './commands.ts';
import type { SandboxGuild } from './seed.ts';
import type { InteractionOutcome, WorkerLink } from './worker-link.ts';

/** What the page sends when a button is clicked. */
export interface ClickRequest {
  customId: string;
  invokerId?: string;
  /** The channel the message is in. */
  channelId: string;
  /** The message as the page shows it (its latest state). */
  message: APIMessage;
  /** The interaction whose reply the message is, if it is one (for its interaction metadata). */
  token?: string | null;
}

export interface ClickOutcome extends InteractionOutcome {
  /** Type 4: the new message; type 7: the clicked message as updated. */
  message?: APIMessage;
}

/** The fields of a message Discord sends with a component interaction (not the stand-in's extras). */
const MESSAGE_FIELDS = [
  'id',
  'type',
  'channel_id',
  'author',
  'content',
  'embeds',
  'components',
  'attachments',
  'mentions',
  'mention_roles',
  'mention_everyone',
  'pinned',
  'tts',
  'timestamp',
  'edited_timestamp',
  'flags',
  'application_id',
  'webhook_id',
  'interaction_metadata',
] as const;

function buttonsOf(message: APIMessage) {
  return ((message.components ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[])
    .flatMap((row) => (row.type === ComponentType.ActionRow ? row.components : []))
    .filter((c) => c.type === ComponentType.Button);
}

export async function runClick(
  link: WorkerLink,
  setup: { applicationId: string; guild: SandboxGuild },
  request: ClickRequest,
): Promise<ClickOutcome> {
  const given = request.message as unknown as Record<string, unknown> | null;
  if (
    !given ||
    typeof given !== 'object' ||
    typeof given.id !== 'string' ||
    typeof request.customId !== 'string'
  ) {
    throw new CommandInputError('send {customId, channelId, message}');
  }
  const button = buttonsOf(request.message).find((b) => 'custom_id' in b && b.custom_id === request.customId);
  if (!button) throw new CommandInputError(`The message has no button \`${request.customId}\`.`);
  if (button.disabled) throw new CommandInputError('That button is disabled.');
  const guild = await link.guildState();
  if (!guild.channels.some((c) => c.id === request.channelId)) {
    throw new CommandInputError('There is no such channel in this server.');
  }
  const clicker = invokerOf(guild, request.invokerId ?? setup.guild.defaultInvokerId);
  const message = Object.fromEntries(
    MESSAGE_FIELDS.filter((f) => given[f] !== undefined).map((f) => [f, given[f]]),
  ) as unknown as APIMessage;
  message.channel_id = request.channelId;
  const remembered = request.token ? link.metadataOf(request.token) : undefined;
  if (!message.interaction_metadata && remembered) message.interaction_metadata = remembered;
  const interaction = buildComponentInteraction({
    applicationId: setup.applicationId,
    guildId: guild.id,
    channelId: request.channelId,
    message,
    customId: request.customId,
    invoker: {
      id: clicker.id,
      username: clicker.username,
      roles: clicker.roles,
      permissions: memberPermissions(guild, clicker.id, request.channelId),
    },
    appPermissions: memberPermissions(guild, setup.applicationId, request.channelId),
  });
  const record = interaction as unknown as Record<string, unknown> & {
    member: { user: { global_name: string | null }; nick?: string | null };
  };
  record.channel = resolvedChannel(guild, request.channelId, clicker.id);
  record.member.user.global_name = clicker.global_name;
  record.member.nick = clicker.nick;
  const metadata = {
    id: interaction.id,
    type: InteractionType.MessageComponent,
    user: {
      id: clicker.id,
      username: clicker.username,
      discriminator: '0',
      global_name: clicker.global_name,
      avatar: null,
    },
    authorizing_integration_owners: { '0': guild.id },
    interacted_message_id: message.id,
  } as unknown as NonNullable<APIMessage['interaction_metadata']>;
  link.remember(interaction.token, metadata);
  const outcome: ClickOutcome = await link.send(interaction);
  const answer = outcome.body as { type?: number; data?: APIInteractionResponseCallbackData } | null;
  if (outcome.status !== 200 || !answer) return outcome;
  if (answer.type === 4 && answer.data) {
    outcome.message = replyMessage(answer.data, {
      applicationId: setup.applicationId,
      channelId: request.channelId,
      botUser: guild.members.find((m) => m.user?.id === setup.applicationId)?.user as SeedUser | undefined,
      metadata,
    });
  } else if (answer.type === 7) {
    const data = answer.data ?? {};
    outcome.message = {
      ...message,
      ...(data.content !== undefined ? { content: data.content } : {}),
      ...(data.embeds !== undefined ? { embeds: data.embeds } : {}),
      ...(data.components !== undefined ? { components: data.components as APIMessage['components'] } : {}),
      edited_timestamp: new Date().toISOString(),
    };
  }
  return outcome;
}
