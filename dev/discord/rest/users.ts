// Users and DM channels: Get Current User, Get User, and Create DM (the same channel every time,
// as on Discord). Sending into the DM channel is a channel message (messages.ts).
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, invalidFormBody } from '../errors.ts';
import { asRecord, ok, type RestContext, required } from './context.ts';

export function registerUserRoutes(ctx: RestContext): void {
  const { state } = ctx;

  ctx.add('GET', '/users/@me', {}, () => ok(state.botUser));

  ctx.add('GET', '/users/{user_id}', {}, ({ params }) =>
    ok(required(state.users.get(params.user_id!), RESTJSONErrorCodes.UnknownUser)),
  );

  ctx.add('POST', '/users/@me/channels', {}, ({ body }) => {
    const recipientId = asRecord(body).recipient_id;
    if (typeof recipientId !== 'string' || !/^\d{1,20}$/.test(recipientId)) {
      throw invalidFormBody({
        recipient_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
      });
    }
    if (!state.users.has(recipientId)) throw apiError(RESTJSONErrorCodes.UnknownUser);
    return ok(state.dmChannelObject(state.dmChannel(recipientId)));
  });
}
