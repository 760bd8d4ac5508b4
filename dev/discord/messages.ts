// Messages as Discord stores and returns them: building one from a validated payload (author, webhook
// id, rich embeds, mentions resolved through allowed_mentions), editing in place, and the public form
// that leaves out what only the sandbox keeps (allowed_mentions).
import {
  AllowedMentionsTypes,
  type APIAllowedMentions,
  type APIEmbed,
  type APIMessage,
  type APIUser,
  EmbedType,
  type MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import { discordTimestamp } from './ids.ts';
import type { MessagePayload } from './message-validation.ts';
import type { SandboxMessage } from './types.ts';

export interface ResolvedMentions {
  users: string[];
  roles: string[];
  everyone: boolean;
}

/**
 * Which mentions in `content` would ping: all of them when allowed_mentions is absent, otherwise
 * only the kinds in `parse` and the ids listed in `users` / `roles`.
 */
export function resolveMentions(
  content: string,
  allowed: APIAllowedMentions | null | undefined,
): ResolvedMentions {
  const userIds = [...new Set([...content.matchAll(/<@!?(\d{1,20})>/g)].map((match) => match[1] ?? ''))];
  const roleIds = [...new Set([...content.matchAll(/<@&(\d{1,20})>/g)].map((match) => match[1] ?? ''))];
  const everyone = /@(everyone|here)/.test(content);
  if (!allowed) return { users: userIds, roles: roleIds, everyone };
  const parse = allowed.parse ?? [];
  const users = parse.includes(AllowedMentionsTypes.User)
    ? userIds
    : userIds.filter((id) => allowed.users?.includes(id) ?? false);
  const roles = parse.includes(AllowedMentionsTypes.Role)
    ? roleIds
    : roleIds.filter((id) => allowed.roles?.includes(id) ?? false);
  return { users, roles, everyone: everyone && parse.includes(AllowedMentionsTypes.Everyone) };
}

/** Discord marks every embed a client sends as rich. */
function normalizeEmbeds(embeds: APIEmbed[] | undefined): APIEmbed[] {
  return (embeds ?? []).map((embed) => ({ type: EmbedType.Rich, ...embed }));
}

export interface NewMessage {
  id: string;
  channelId: string;
  author: APIUser;
  payload: MessagePayload;
  webhookId?: string;
  applicationId?: string;
  lookupUser: (id: string) => APIUser | undefined;
  now?: Date;
}

function mentionFields(
  content: string,
  allowed: APIAllowedMentions | null,
  lookupUser: NewMessage['lookupUser'],
) {
  const mentions = resolveMentions(content, allowed);
  return {
    mentions: mentions.users
      .map((id) => lookupUser(id))
      .filter((user): user is APIUser => user !== undefined),
    mention_roles: mentions.roles,
    mention_everyone: mentions.everyone,
  };
}

export function buildMessage(input: NewMessage): SandboxMessage {
  const { payload } = input;
  const content = payload.content ?? '';
  const allowed = payload.allowed_mentions ?? null;
  const author: APIUser =
    input.webhookId && payload.username ? { ...input.author, username: payload.username } : input.author;
  return {
    id: input.id,
    type: MessageType.Default,
    channel_id: input.channelId,
    author,
    content,
    ...mentionFields(content, allowed, input.lookupUser),
    attachments: [],
    embeds: normalizeEmbeds(payload.embeds),
    components: payload.components ?? [],
    timestamp: discordTimestamp(input.now),
    edited_timestamp: null,
    flags: (payload.flags ?? 0) as MessageFlags,
    pinned: false,
    tts: payload.tts ?? false,
    ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
    ...(input.applicationId ? { application_id: input.applicationId } : {}),
    allowed_mentions: allowed,
  };
}

/** An edit replaces only the fields it carries, and stamps edited_timestamp. */
export function editMessage(
  message: SandboxMessage,
  payload: MessagePayload,
  lookupUser: NewMessage['lookupUser'],
  now: Date = new Date(),
): SandboxMessage {
  const content = payload.content !== undefined ? payload.content : message.content;
  const allowed =
    payload.allowed_mentions !== undefined ? payload.allowed_mentions : message.allowed_mentions;
  return {
    ...message,
    content,
    ...mentionFields(content, allowed, lookupUser),
    embeds: payload.embeds !== undefined ? normalizeEmbeds(payload.embeds) : message.embeds,
    components: payload.components !== undefined ? payload.components : (message.components ?? []),
    flags: (payload.flags !== undefined ? payload.flags : message.flags) as MessageFlags,
    edited_timestamp: discordTimestamp(now),
    allowed_mentions: allowed,
  };
}

/** What the REST API returns: the message without the sandbox-only allowed_mentions. */
export function publicMessage(message: SandboxMessage): APIMessage {
  const { allowed_mentions: _kept, ...rest } = message;
  return rest;
}
