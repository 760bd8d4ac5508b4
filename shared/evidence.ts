// A message kept as a case's evidence (the message context-menu commands): what the moderator saw
// when they acted, as Discord's signed interaction carried it, and how the mod-log shows it —
// truncated cleanly, with mentions that cannot ping (embeds never ping, but a copied @everyone
// would still read as one). Pure.
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

/**
 * Mentions that would read as pings: @everyone/@here get a zero-width joiner, role and user
 * mentions stay (they render as names and notify no one inside an embed).
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1');
}

/** Quoted block of the content; code fences stay inert inside a quote. */
function quoted(content: string): string {
  return content
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The mod-log / `/case` field that shows the evidence. */
export function evidenceField(evidence: MessageEvidence, guildId: string): APIEmbedField {
  const link = messageLink(guildId, evidence.channelId, evidence.messageId);
  const head = `[Message](${link}) by <@${evidence.authorId}> in <#${evidence.channelId}>, ${discordTimestamp(new Date(evidence.sentAt))}${evidence.deleted ? ' — deleted' : ''}`;
  const files = evidence.attachments.length > 0 ? `\nAttachments: ${evidence.attachments.join(', ')}` : '';
  const room = embedLimits.fieldValue - head.length - files.length - 4;
  const body = evidence.content.trim()
    ? `\n${truncate(quoted(defuseMentions(evidence.content)) + (evidence.truncated ? '…' : ''), Math.max(room, 1))}`
    : '\n*(no text)*';
  return { name: 'Evidence', value: truncate(`${head}${body}${files}`, embedLimits.fieldValue) };
}
