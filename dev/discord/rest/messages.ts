// Channel messages with the bot token: Create Message (in a guild channel: View Channel and Send
// Messages there, overwrites included; in a DM: only to a user who shares a guild with the bot and has DMs open), Get Channel
// Messages (View Channel, else 50001; without Read Message History Discord answers an empty list;
// `around` / `before` / `after` a snowflake, one at a time, `limit` 1–100 (default 50); newest first;
// webhook posts carry their `webhook_id`), Get Message, Delete Message (View Channel in a guild
// channel; another author's needs Manage Messages, and is impossible in a DM; only that one writes
// MESSAGE_DELETE to the audit log) and Bulk Delete Messages (guild channels, Manage Messages; 2–100
// distinct snowflakes, each under 14 days old or the whole call fails with 50034; ids naming no
// message count toward the limits and are ignored; one MESSAGE_BULK_DELETE entry; openapi.json
// `bulk_delete_messages`: minItems 2, maxItems 100, uniqueItems).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { BULK_DELETE_MAX_AGE_MS } from '../../../shared/command-definitions.ts';
import { snowflakeTime } from '../../../shared/snowflakes.ts';
import { messageBulkDeleteEntry, messageDeleteEntry } from '../audit-log.ts';
import { apiError, type FormErrors, invalidFormBody } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import { buildMessage, publicMessage } from '../messages.ts';
import { hasPermission } from '../permissions.ts';
import { rules } from '../rate-limits.ts';
import {
  checkInteger,
  fieldError,
  isRecord,
  isSnowflake,
  notArray,
  notObject,
  required,
  setError,
  snowflakeErrors,
} from '../validation.ts';
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
      // In a guild channel the bot must see it (50001) before anything about its messages is said.
      const access = channel.guildId === null ? null : ctx.visibleGuildChannel(channel.id);
      const index = channel.messages.findIndex((candidate) => candidate.id === params.message_id);
      if (index < 0) throw apiError(RESTJSONErrorCodes.UnknownMessage);
      const found = channel.messages[index]!;
      if (found.author.id !== ctx.appId || found.webhook_id) {
        if (!access) throw apiError(RESTJSONErrorCodes.CannotExecuteActionOnDMChannel);
        requireBits(access.permissions, PermissionFlagsBits.ManageMessages);
        // Discord logs deleting someone else's message, never one's own.
        state.audit(access.guild, messageDeleteEntry(ctx.appId, found.author.id, channel.id, auditLogReason));
      }
      channel.messages.splice(index, 1);
      return noContent();
    },
  );

  // One call per second per guild (rules.bulkDelete); a channel the stand-in does not know is its own key.
  const byGuildOfChannel = (params: Record<string, string>) =>
    state.channels.get(byChannel(params))?.guildId ?? byChannel(params);
  ctx.add(
    'POST',
    `${messages}/bulk-delete`,
    { auditLog: true, limits: ctx.botLimits(rules.bulkDelete, byGuildOfChannel) },
    ({ params, body, auditLogReason }) => {
      const channel = ctx.channelOf(params.channel_id!);
      const check = checkBulkDeleteBody(body);
      if (!check.ok) throw invalidFormBody(check.errors);
      const { guild, permissions } = ctx.visibleGuildChannel(channel.id); // a DM: 50003
      requireBits(permissions, PermissionFlagsBits.ManageMessages);
      // The age is the id's own time, whether or not it names a message.
      const oldest = Date.now() - BULK_DELETE_MAX_AGE_MS;
      if (check.ids.some((id) => snowflakeTime(id) < oldest)) {
        throw apiError(RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete);
      }
      const doomed = new Set(check.ids);
      const kept = channel.messages.filter((candidate) => !doomed.has(candidate.id));
      const count = channel.messages.length - kept.length;
      channel.messages.splice(0, channel.messages.length, ...kept);
      if (count > 0) state.audit(guild, messageBulkDeleteEntry(ctx.appId, channel.id, count, auditLogReason));
      return noContent();
    },
  );
}

/** Bulk Delete Messages' `messages`: 2–100 snowflakes (strings or numbers), none repeated. */
export const BULK_DELETE_BOUNDS = { min: 2, max: 100 } as const;

export function checkBulkDeleteBody(
  body: unknown,
): { ok: true; ids: string[] } | { ok: false; errors: FormErrors } {
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  const tree: FormErrors = {};
  const list = body.messages;
  const ids: string[] = [];
  const { min, max } = BULK_DELETE_BOUNDS;
  if (list === undefined || list === null) setError(tree, ['messages'], required());
  else if (!Array.isArray(list)) setError(tree, ['messages'], notArray());
  else if (list.length < min || list.length > max) {
    setError(
      tree,
      ['messages'],
      fieldError('BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`),
    );
  } else {
    list.forEach((id: unknown, index) => {
      const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
      if (typeof text !== 'string' || !isSnowflake(text)) {
        setError(
          tree,
          ['messages', index],
          fieldError('NUMBER_TYPE_COERCE', `Value "${String(id)}" is not snowflake.`),
        );
      } else if (ids.includes(text)) {
        // A set in Discord's schema (uniqueItems): the repeat is named at its index.
        setError(
          tree,
          ['messages', index],
          fieldError('SET_TYPE_ALREADY_CONTAINS_VALUE', 'The set already contains this value'),
        );
      } else ids.push(text);
    });
  }
  return Object.keys(tree).length ? { ok: false, errors: tree } : { ok: true, ids };
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
