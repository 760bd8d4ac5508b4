// Interaction responses. Every reply to a moderator is ephemeral and pings nobody, whatever a
// reason contains (`@everyone`, role mentions).
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIInteractionResponse,
  InteractionResponseType,
  MessageFlags,
} from 'discord-api-types/v10';

export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  /** Buttons under the message (a /massban preview's Confirm and Cancel). */
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export const noMentions = { parse: [] } as { parse: [] };

export function replyResponse(reply: Reply): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { ...reply, flags: MessageFlags.Ephemeral, allowed_mentions: noMentions },
  };
}

export const deferredResponse: APIInteractionResponse = {
  type: InteractionResponseType.DeferredChannelMessageWithSource,
  data: { flags: MessageFlags.Ephemeral },
};

/** A component's "working on it" (type 6): the message it is on is edited through @original later. */
export const deferredUpdateResponse: APIInteractionResponse = {
  type: InteractionResponseType.DeferredMessageUpdate,
};

export const pongResponse: APIInteractionResponse = { type: InteractionResponseType.Pong };

/**
 * The body for editing `@original` after a deferred response. An update (a component's message
 * replaced) drops the buttons unless the reply has its own, as type 7 does.
 */
export function followUpBody(reply: Reply, mode: 'reply' | 'update' = 'reply') {
  return {
    content: reply.content ?? '',
    embeds: reply.embeds ?? [],
    allowed_mentions: noMentions,
    ...(reply.components ? { components: reply.components } : mode === 'update' ? { components: [] } : {}),
  };
}

/** A button's answer that rewrites the message it sits on (type 7); `components: []` removes buttons. */
export function updateMessageResponse(reply: Reply): APIInteractionResponse {
  return {
    type: InteractionResponseType.UpdateMessage,
    data: { components: [], embeds: [], ...reply, allowed_mentions: noMentions },
  };
}
