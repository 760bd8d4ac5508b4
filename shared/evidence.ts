// A message kept as a case's evidence (the message context-menu commands): what the moderator saw
// when they acted, as Discord's signed interaction carried it, and how the mod-log shows it —
// truncated cleanly (never half a mention, the file names within a share of the field), inert (a
// copied @everyone cannot read as a ping, a code fence or masked link cannot take over the field;
// embeds never ping anyway). Pure.
import type { APIEmbedField, APIMessage } from 'discord-api-types/v10';
import { discordTimestamp, embedLimits, truncate } from './embed-fit.ts';

/** Enough of a message to show it; longer content is cut (the case is no archive). */
export const MAX_EVIDENCE_CONTENT = 1_000;
export const MAX_EVIDENCE_ATTACHMENTS = 10;

export interface MessageEvidence {
  messageId: string;
  channelId: string;
  authorId: string;
  content: string;
  /** True when `content` was cut to MAX_EVIDENCE_CONTENT. */
  truncated: boolean;
  /** File names of its attachments (at most MAX_EVIDENCE_ATTACHMENTS). */
  attachments: string[];
  /** When the message was sent (ISO 8601). */
  sentAt: string;
  /** Set when Lockdown deleted the message ("Delete and warn"). */
  deleted?: boolean;
}

/** The evidence a message gives, from the message object Discord resolved for the command. */
export function evidenceFromMessage(message: APIMessage): MessageEvidence {
  const chars = Array.from(message.content ?? '');
  return {
    messageId: message.id,
    channelId: message.channel_id,
    authorId: message.author.id,
    content: chars.slice(0, MAX_EVIDENCE_CONTENT).join(''),
    truncated: chars.length > MAX_EVIDENCE_CONTENT,
    attachments: (message.attachments ?? []).slice(0, MAX_EVIDENCE_ATTACHMENTS).map((a) => a.filename),
    sentAt: message.timestamp,
  };
}

export const messageLink = (guildId: string, channelId: string, messageId: string): string =>
  `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

/** Whether a value (an event's `data.evidence`, decoded leniently) is evidence the mod-log can show. */
export function isMessageEvidence(value: unknown): value is MessageEvidence {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.messageId === 'string' &&
    typeof e.channelId === 'string' &&
    typeof e.authorId === 'string' &&
    typeof e.content === 'string' &&
    typeof e.sentAt === 'string' &&
    Array.isArray(e.attachments) &&
    e.attachments.every((a) => typeof a === 'string')
  );
}

/**
 * Mentions that would read as pings: @everyone/@here get a zero-width joiner, role and user
 * mentions stay (they render as names and notify no one inside an embed).
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1');
}

/**
 * The content as inert text: mentions defused, and the two pieces of markdown that could take over
 * the rest of the field broken with a zero-width space — a code fence (an unclosed one, or one cut
 * off by truncation, would swallow the attachments line) and a masked link (its text could pose as
 * another address).
 */
function inert(content: string): string {
  return defuseMentions(content).replace(/```/g, '`\u200b`\u200b`').replace(/\]\(/g, ']\u200b(');
}

/** Quoted block of the content. */
function quoted(content: string): string {
  return content
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** A mention, emoji or timestamp (`<@1…`, `<#…`, `<:name:…`, `<t:…`) cut before its `>`. */
const DANGLING_TOKEN = /<[@#:&!at][^<>\s]*$/;

/** Cuts text to `max` without leaving half a mention, emoji or timestamp at the cut. */
function cleanCut(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text || !cut.endsWith('…')) return cut;
  return `${cut.slice(0, -1).replace(DANGLING_TOKEN, '').trimEnd()}…`;
}

/** File names get at most this much each, and the list at most ATTACHMENTS_ROOM: the text matters more. */
const MAX_ATTACHMENT_NAME = 60;
const ATTACHMENTS_ROOM = 300;

/** `Attachments: a.png, b.txt and 3 more`, within ATTACHMENTS_ROOM characters. */
function attachmentsLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown: string[] = [];
  let length = '\nAttachments: '.length;
  for (const [index, name] of names.entries()) {
    const piece = truncate(defuseMentions(name), MAX_ATTACHMENT_NAME);
    const more = ` and ${names.length - index} more`;
    if (length + piece.length + 2 + (index < names.length - 1 ? more.length : 0) > ATTACHMENTS_ROOM) {
      return `\nAttachments: ${shown.join(', ')}${more}`;
    }
    shown.push(piece);
    length += piece.length + 2;
  }
  return `\nAttachments: ${shown.join(', ')}`;
}

/** The mod-log / `/case` field that shows the evidence: within 1,024 characters whatever it holds. */
export function evidenceField(evidence: MessageEvidence, guildId: string): APIEmbedField {
  const link = messageLink(guildId, evidence.channelId, evidence.messageId);
  const sent = new Date(evidence.sentAt);
  const when = Number.isNaN(sent.getTime()) ? '' : `, ${discordTimestamp(sent)}`;
  const head = `[Message](${link}) by <@${evidence.authorId}> in <#${evidence.channelId}>${when}${evidence.deleted ? ' — deleted' : ''}`;
  const files = attachmentsLine(evidence.attachments);
  const room = embedLimits.fieldValue - head.length - files.length - 1;
  const body = evidence.content.trim()
    ? `\n${cleanCut(quoted(inert(evidence.content)) + (evidence.truncated ? '…' : ''), Math.max(room, 1))}`
    : '\n*(no text)*';
  return { name: 'Evidence', value: truncate(`${head}${body}${files}`, embedLimits.fieldValue) };
}
