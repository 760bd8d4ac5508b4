// Channel messages with the bot token: Create Message (in a guild channel: View Channel and Send
// Messages there, overwrites included; in a DM: only to a user who shares a guild with the bot and has DMs open), Get Channel
// Messages (View Channel, else 50001; without Read Message History Discord answers an empty list;
// `around` / `before` / `after` a snowflake, one at a time, `limit` 1–100 (default 50); newest first;
// webhook posts carry their `webhook_id`), Get Message and Delete Message (another author's needs
// Manage Messages, and is impossible in a DM; only that one writes MESSAGE_DELETE to the audit log).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { messageDeleteEntry } from '../audit-log.ts';
import { apiError, type FormErrors, invalidFormBody } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import { buildMessage, publicMessage } from '../messages.ts';
import { hasPermission } from '../permissions.ts';
import { rules } from '../rate-limits.ts';
import { checkInteger, isSnowflake, snowflakeErrors } from '../validation.ts';
import { byChannel, noContent, ok, type RestContext, requireBits } from './context.ts';

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
      // The bot's permissions in this channel: an @everyone deny of Send Messages binds it too,
      // unless one of its roles' overwrites, its own, or Administrator allows it.
      requireBits(ctx.visibleGuildChannel(channel.id).permissions, PermissionFlagsBits.SendMessages);
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

  ctx.add('GET', messages, { limits: ctx.defaultLimits('GET', messages, byChannel) }, ({ params, query }) => {
    const channel = ctx.channelOf(params.channel_id!);
    const { anchor, limit } = listQuery(query);
    if (channel.guildId !== null) {
      const { permissions } = ctx.visibleGuildChannel(channel.id);
      if (!hasPermission(permissions, PermissionFlagsBits.ReadMessageHistory)) return ok([]);
    }
    const byAge = [...channel.messages].sort((a, b) => compareIds(a.id, b.id));
    let page = byAge.slice(-limit);
    if (anchor?.kind === 'after') page = byAge.filter((m) => compareIds(m.id, anchor.id) > 0).slice(0, limit);
    else if (anchor?.kind === 'before')
      page = byAge.filter((m) => compareIds(m.id, anchor.id) < 0).slice(-limit);
    else if (anchor?.kind === 'around') {
      const at = byAge.findIndex((m) => compareIds(m.id, anchor.id) >= 0);
      const middle = at < 0 ? byAge.length : at;
      const start = Math.max(0, middle - Math.floor(limit / 2));
      page = byAge.slice(start, start + limit);
    }
    return ok(page.reverse().map(publicMessage));
  });

  const message = '/channels/{channel_id}/messages/{message_id}';

  ctx.add('GET', message, { limits: ctx.defaultLimits('GET', message, byChannel) }, ({ params }) => {
    const channel = ctx.channelOf(params.channel_id!);
    if (channel.guildId !== null) ctx.visibleGuildChannel(channel.id);
    const found = channel.messages.find((candidate) => candidate.id === params.message_id);
    if (!found) throw apiError(RESTJSONErrorCodes.UnknownMessage);
    return ok(publicMessage(found));
  });

  ctx.add(
    'DELETE',
    message,
    { auditLog: true, limits: ctx.botLimits(rules.messageDelete, byChannel) },
    ({ params, auditLogReason }) => {
      const channel = ctx.channelOf(params.channel_id!);
      const index = channel.messages.findIndex((candidate) => candidate.id === params.message_id);
      if (index < 0) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      const found = channel.messages[index]!;
      if (found.author.id !== ctx.appId || found.webhook_id) {
        const guild = ctx.guildOfChannel(channel); // another author's message in a DM: 50003
        requireBits(ctx.visibleGuildChannel(channel.id).permissions, PermissionFlagsBits.ManageMessages);
        // Discord logs deleting someone else's message, never one's own.
        state.audit(guild, messageDeleteEntry(ctx.appId, found.author.id, channel.id, auditLogReason));
      }
      channel.messages.splice(index, 1);
      return noContent();
    },
  );
}

const compareIds = (a: string, b: string) => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
};

/** Get Channel Messages' query: one of around / before / after (the first given wins), and limit. */
function listQuery(query: URLSearchParams): {
  anchor: { kind: 'around' | 'before' | 'after'; id: string } | null;
  limit: number;
} {
  const errors: FormErrors = {};
  let anchor: { kind: 'around' | 'before' | 'after'; id: string } | null = null;
  for (const kind of ['around', 'before', 'after'] as const) {
    const id = query.get(kind);
    if (id === null) continue;
    if (!isSnowflake(id)) Object.assign(errors, snowflakeErrors(kind, id));
    else anchor ??= { kind, id };
  }
  const raw = query.get('limit');
  const limit = raw === null ? 50 : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  checkInteger(errors, ['limit'], limit, 1, 100);
  if (Object.keys(errors).length) throw invalidFormBody(errors);
  return { anchor, limit: typeof limit === 'number' ? limit : 50 };
}
