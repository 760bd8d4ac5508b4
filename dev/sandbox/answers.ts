// What Discord's client makes of the bot's answer to an interaction, for the sandbox page: which
// response types each kind of interaction may get (anything else, or a malformed answer, is what
// Discord's client shows as "This interaction failed"), a type 4 message as Discord makes it, a
// type 7 update applied to the message the component is on, a type 8's suggestions, and a type 9
// modal, which the caller keeps (worker-link.ts) until it is submitted. Pure.
import {
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponseCallbackData,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
  MessageType,
} from 'discord-api-types/v10';
import type { GuildSnapshot, SeedUser } from '../discord/server.ts';
import { replyMessage } from './interaction-parts.ts';
import type { InteractionOutcome } from './worker-link.ts';

/** What was sent: a modal submit from a button may update its message; one from a command may not. */
export type InteractionKind = 'command' | 'component' | 'modal' | 'modal-from-component' | 'autocomplete';

/**
 * Discord's rules (interaction response types): MODAL never answers a modal submit (or
 * autocomplete); UPDATE_MESSAGE and DEFERRED_UPDATE_MESSAGE only answer a component, or the submit
 * of a modal a component opened; autocomplete gets APPLICATION_COMMAND_AUTOCOMPLETE_RESULT only.
 */
export const allowedResponses: Record<InteractionKind, readonly InteractionResponseType[]> = {
  command: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  'modal-from-component': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
  modal: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
};

export interface ShapedOutcome extends InteractionOutcome {
  /** Type 4: the new message; type 7: the component's message as updated. */
  message?: APIMessage;
  /** Type 9: the modal to open. */
  modal?: APIModalInteractionResponseCallbackData;
  /** Type 8: the suggestions. */
  choices?: APIApplicationCommandOptionChoice[];
  /** Why Discord's client would say "This interaction failed" instead. */
  failed?: string;
}

export interface AnswerContext {
  kind: InteractionKind;
  applicationId: string;
  channelId: string;
  guild: GuildSnapshot;
  /** A type 4 message's interaction metadata. */
  metadata?: APIMessage['interaction_metadata'];
  /** The message the component is on (components, and modals a component opened). */
  source?: APIMessage;
  /** A type 4 message's type: 20 after a slash command, 23 after a context-menu command. */
  messageType?: MessageType;
}

type Answer = { type?: unknown; data?: unknown } | null;

/** Discord's limits on a modal: a custom_id of 1–100, a title of 1–45, 1–5 rows (or labels). */
function modalProblem(data: unknown): string | null {
  const modal = data as Partial<APIModalInteractionResponseCallbackData> | null;
  if (!modal || typeof modal !== 'object') return 'a modal needs data';
  if (typeof modal.custom_id !== 'string' || modal.custom_id.length < 1 || modal.custom_id.length > 100)
    return 'a modal needs a custom_id of 1–100 characters';
  if (typeof modal.title !== 'string' || modal.title.length < 1 || modal.title.length > 45)
    return 'a modal needs a title of 1–45 characters';
  if (!Array.isArray(modal.components) || modal.components.length < 1)
    return 'a modal needs at least one component';
  return null;
}

/** Discord's limits on autocomplete choices: at most 25, each named in 1–100 characters. */
function choicesProblem(data: unknown): string | null {
  const choices = (data as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return 'autocomplete results need data.choices';
  if (choices.length > 25) return 'at most 25 autocomplete choices';
  for (const choice of choices as { name?: unknown; value?: unknown }[]) {
    if (typeof choice?.name !== 'string' || choice.name.length < 1 || choice.name.length > 100)
      return 'each choice needs a name of 1–100 characters';
    if (typeof choice.value !== 'string' && typeof choice.value !== 'number')
      return 'each choice needs a string or number value';
  }
  return null;
}

/** The page's view of an answer: its message, modal or suggestions, or why it failed. */
export function shapeAnswer(outcome: InteractionOutcome, context: AnswerContext): ShapedOutcome {
  const shaped: ShapedOutcome = { ...outcome };
  if (outcome.status !== 200) {
    shaped.failed = `the Worker answered HTTP ${outcome.status}`;
    return shaped;
  }
  const answer = outcome.body as Answer;
  const type = answer?.type as InteractionResponseType | undefined;
  if (type === undefined || !allowedResponses[context.kind].includes(type)) {
    shaped.failed = `response type ${String(type)} does not answer this kind of interaction`;
    return shaped;
  }
  const data = (answer?.data ?? {}) as APIInteractionResponseCallbackData;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const message = replyMessage(data, {
        applicationId: context.applicationId,
        channelId: context.channelId,
        botUser: context.guild.members.find((m) => m.user?.id === context.applicationId)?.user as
          | SeedUser
          | undefined,
        metadata: context.metadata,
      });
      shaped.message = { ...message, type: context.messageType ?? MessageType.Default };
      break;
    }
    case InteractionResponseType.UpdateMessage:
      if (context.source) {
        shaped.message = {
          ...context.source,
          ...(data.content !== undefined ? { content: data.content } : {}),
          ...(data.embeds !== undefined ? { embeds: data.embeds } : {}),
          ...(data.components !== undefined
            ? { components: data.components as APIMessage['components'] }
            : {}),
          edited_timestamp: new Date().toISOString(),
        };
      }
      break;
    case InteractionResponseType.Modal: {
      const problem = modalProblem(answer?.data);
      if (problem) shaped.failed = problem;
      else shaped.modal = data as unknown as APIModalInteractionResponseCallbackData;
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const problem = choicesProblem(answer?.data);
      if (problem) shaped.failed = problem;
      else shaped.choices = (data as { choices?: APIApplicationCommandOptionChoice[] }).choices ?? [];
      break;
    }
    default:
  }
  return shaped;
}
