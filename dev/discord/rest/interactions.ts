// Interaction responses, reached as /webhooks/{application id}/{interaction token}: follow-ups, and
// the original response. The Worker answers Discord with a deferred response, so the original comes
// into being when the bot first edits @original. There is no webhook to get, rename or delete here.

import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import type { MessagePayload } from '../message-validation.ts';
import { buildMessage, publicMessage } from '../messages.ts';
import { ok, type Params, type RestContext, storedIn, type TokenSide } from './context.ts';

export function interactionTokenSide(ctx: RestContext): TokenSide {
  const { state, appId } = ctx;
  const interactionOf = (params: Params) => state.interaction(params.webhook_token!);
  const noWebhook = () => {
    throw apiError(RESTJSONErrorCodes.UnknownWebhook);
  };

  const reply = (channelId: string, payload: MessagePayload) =>
    buildMessage({
      id: nextSnowflake(),
      channelId,
      author: state.botUser,
      payload: ctx.newMessage(payload),
      webhookId: appId,
      applicationId: appId,
      lookupUser: ctx.lookupUser,
    });

  const message: TokenSide['message'] = (params) => {
    const messageId = params.message_id ?? '@original';
    const interaction = interactionOf(params);
    if (messageId === '@original' || interaction.original?.id === messageId) {
      const original = interaction.original;
      if (!original) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      return {
        message: original,
        replace: (next) => {
          interaction.original = next;
        },
        remove: () => {
          interaction.original = null;
        },
      };
    }
    return storedIn(interaction.followups, (candidate) => candidate.id === messageId);
  };

  return {
    get: noWebhook,
    update: noWebhook,
    remove: noWebhook,

    // Follow-ups always answer with the message: `wait` is implied for interactions.
    execute: ({ params, body }) => {
      const interaction = interactionOf(params);
      const followup = reply(interaction.channelId, ctx.messagePayload(body));
      interaction.followups.push(followup);
      return ok(publicMessage(followup));
    },

    message,

    edit: (params, payload) => {
      const interaction = interactionOf(params);
      if ((params.message_id ?? '@original') === '@original' && !interaction.original) {
        // Editing the deferred response is how the bot first says something: the original is made here.
        interaction.original = reply(interaction.channelId, payload);
        return ok(publicMessage(interaction.original));
      }
      return ctx.editStored(message(params), payload);
    },
  };
}
