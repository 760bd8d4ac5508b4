// Users and DM channels: Get Current User (and its guilds, for the bot or a user's OAuth2 token), Get User, and Create DM (the same channel every time,
// as on Discord). Sending into the DM channel is a channel message (messages.ts).
import { type RESTAPIPartialCurrentUserGuild, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, invalidFormBody, statusError } from '../errors.ts';
import { memberPermissions } from '../permissions.ts';
import { asRecord, ok, type RestContext, required } from './context.ts';
import { bearerGuilds, bearerUser } from './oauth2.ts';

/** The bot's own guilds, as Get Current User Guilds lists them for a bot token. */
function botGuilds(ctx: RestContext): RESTAPIPartialCurrentUserGuild[] {
  const list: RESTAPIPartialCurrentUserGuild[] = [];
  for (const guild of ctx.state.guilds.values()) {
    const bot = guild.members.get(ctx.appId);
    if (!bot) continue;
    list.push({
      id: guild.id,
      name: guild.name,
      icon: null,
      banner: null,
      owner: false,
      permissions: String(memberPermissions(guild, ctx.appId, bot.roles)),
      features: [],
    });
  }
  return list.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export function registerUserRoutes(ctx: RestContext): void {
  const { state } = ctx;

  // With a user's Bearer token (OAuth2, scope identify) these answer for that user (oauth2.ts).
  ctx.add('GET', '/users/@me', { auth: 'bot-or-bearer' }, ({ authorization }) => {
    if (authorization === undefined || !authorization.startsWith('Bearer ')) return ok(state.botUser);
    const user = bearerUser(state, authorization);
    if (!user) throw statusError(401);
    return ok(user);
  });

  ctx.add('GET', '/users/@me/guilds', { auth: 'bot-or-bearer' }, ({ authorization, query }) => {
    const list = authorization?.startsWith('Bearer ') ? bearerGuilds(state, authorization) : botGuilds(ctx);
    if (!list) throw statusError(401);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 200) || 200, 1), 200);
    const after = query.get('after');
    return ok(list.filter((guild) => after === null || BigInt(guild.id) > BigInt(after)).slice(0, limit));
  });

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
