// A button clicked, or an option picked in a string select, on the sandbox page, sent as Discord
// sends it: a MESSAGE_COMPONENT interaction (dev/interactions.ts) with the message the component is
// on (a bot's reply, or a webhook's message in #mod-logs), the clicker as the member with their
// permissions in that channel, and the bot's; refused, as Discord's client refuses, when the message
// has no such component, it is disabled, or the values are not the select's own (or too few or too
// many). The Worker's answer comes back with what Discord would show (answers.ts): type 4 a new
// message, type 7 the message updated in place, type 9 a modal (kept until its submit, which then
// carries this message); type 6 (deferred update) shows nothing until the bot edits @original with
// the click's token, which the page reads from the stand-in.
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIMessage,
  type APIStringSelectComponent,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import { buildComponentInteraction } from '../interactions.ts';
import type { ShapedOutcome } from './answers.ts';
import { CommandInputError } from './command-options.ts';
import { interactionParty, sendInteraction } from './commands.ts';
import { addClientFields, interactionMetadata, invokerOf } from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { WorkerLink } from './worker-link.ts';

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
  /** A string select: the values picked. Absent for a button. */
  values?: string[];
}

export type ClickOutcome = ShapedOutcome;

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

function componentsOf(message: APIMessage) {
  return ((message.components ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[]).flatMap(
    (row) => (row.type === ComponentType.ActionRow ? row.components : []),
  );
}

/** Checks a click against the component as the message has it, as Discord's client would. */
export function checkComponent(message: APIMessage, customId: string, values: unknown): string[] | undefined {
  const component = componentsOf(message).find((c) => 'custom_id' in c && c.custom_id === customId);
  if (!component) throw new CommandInputError(`The message has no button or select \`${customId}\`.`);
  if (component.disabled) throw new CommandInputError('That component is disabled.');
  if (component.type === ComponentType.Button) {
    if (values !== undefined) throw new CommandInputError('A button has no values.');
    return undefined;
  }
  if (component.type !== ComponentType.StringSelect) {
    throw new CommandInputError('The sandbox clicks buttons and string selects only.');
  }
  const select = component as APIStringSelectComponent;
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    throw new CommandInputError('A select sends the values picked.');
  }
  const min = select.min_values ?? 1;
  const max = select.max_values ?? 1;
  if (values.length < min || values.length > max) {
    throw new CommandInputError(min === max ? `Pick ${min}.` : `Pick between ${min} and ${max}.`);
  }
  if (new Set(values).size !== values.length) throw new CommandInputError('Each option once.');
  const offered = new Set(select.options.map((o) => o.value));
  if (values.some((v) => !offered.has(v))) throw new CommandInputError('That is not one of the options.');
  return values as string[];
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
  const values = checkComponent(request.message, request.customId, request.values);
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
    ...interactionParty(setup.applicationId, guild, clicker, request.channelId),
    message,
    customId: request.customId,
    ...(values ? { values } : {}),
  });
  addClientFields(interaction, guild, clicker, request.channelId);
  const metadata = interactionMetadata(interaction, InteractionType.MessageComponent, clicker, guild, {
    interacted_message_id: message.id,
  });
  const outcome = await sendInteraction(link, interaction, {
    kind: 'component',
    applicationId: setup.applicationId,
    channelId: request.channelId,
    guild,
    metadata,
    source: message,
  });
  if (outcome.modal) {
    link.rememberModal(interaction.token, {
      modal: outcome.modal,
      channelId: request.channelId,
      invokerId: clicker.id,
      message,
      trigger: metadata,
    });
  }
  return outcome;
}
