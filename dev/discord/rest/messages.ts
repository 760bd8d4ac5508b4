// Channel messages with the bot token: Create Message (in a guild channel: View Channel and Send
// Messages; in a DM: only to a user who shares a guild with the bot and has DMs open), Get Message
// and Delete Message (another author's needs Manage Messages, and is impossible in a DM).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import { buildMessage, publicMessage } from '../messages.ts';
import { hasPermission } from '../permissions.ts';
import { rules } from '../rate-limits.ts';
import { byChannel, noContent, ok, type RestContext } from './context.ts';

export function registerMessageRoutes(ctx: RestContext): void {
  const { state } = ctx;
  const messages = '/channels/{channel_id}/messages';

  ctx.add('POST', messages, { limits: ctx.botLimits(rules.messageCreate, byChannel) }, ({ params, body }) => {
    const channel = ctx.channelOf(params.channel_id!);
    const payload = ctx.newMessage(ctx.messagePayload(body));
    if (channel.guildId === null) {
      const recipient = channel.recipientId ?? '';
      // Discord answers Cannot send messages to this user both for closed DMs and when the bot no
      // longer shares a guild with the user.
      if (state.dmsClosed(recipient) || !state.sharesGuildWithBot(recipient)) {
        throw apiError(RESTJSONErrorCodes.CannotSendMessagesToThisUser);
      }
    } else {
      const permissions = ctx.botPermissions(ctx.guildOf(channel.guildId));
      if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel))
        throw apiError(RESTJSONErrorCodes.MissingAccess);
      if (!hasPermission(permissions, PermissionFlagsBits.SendMessages))
        throw apiError(RESTJSONErrorCodes.MissingPermissions);
    }
    const message = buildMessage({
      id: nextSnowflake(),
      channelId: channel.id,
      author: state.botUser,
      payload,
      lookupUser: ctx.lookupUser,
    });
    channel.messages.push(message);
    return ok(publicMessage(message));
  });

  const message = '/channels/{channel_id}/messages/{message_id}';

  ctx.add('GET', message, { limits: ctx.defaultLimits('GET', message, byChannel) }, ({ params }) => {
    const channel = ctx.channelOf(params.channel_id!);
    if (channel.guildId !== null) {
      const permissions = ctx.botPermissions(ctx.guildOf(channel.guildId));
      if (!hasPermission(permissions, PermissionFlagsBits.ViewChannel))
        throw apiError(RESTJSONErrorCodes.MissingAccess);
    }
    const found = channel.messages.find((candidate) => candidate.id === params.message_id);
    if (!found) throw apiError(RESTJSONErrorCodes.UnknownMessage);
    return ok(publicMessage(found));
  });

  ctx.add(
    'DELETE',
    message,
    { auditLog: true, limits: ctx.botLimits(rules.messageDelete, byChannel) },
    ({ params }) => {
      const channel = ctx.channelOf(params.channel_id!);
      const index = channel.messages.findIndex((candidate) => candidate.id === params.message_id);
      if (index < 0) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      const found = channel.messages[index]!;
      if (found.author.id !== ctx.appId || found.webhook_id) {
        ctx.requirePermission(ctx.guildOfChannel(channel), PermissionFlagsBits.ManageMessages);
      }
      channel.messages.splice(index, 1);
      return noContent();
    },
  );
}
