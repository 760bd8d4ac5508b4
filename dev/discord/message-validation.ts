// Message bodies within Discord's limits, as pure checks: content, embeds (per field and the
// 6000-character total), components (component-validation.ts) — or none, where Discord ignores
// them —, allowed_mentions, flags and, for webhook executions, the username override; and whether a
// message would show nothing. Answers Discord's nested `errors` tree for 50035.
import type { APIAllowedMentions, APIEmbed, APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { checkComponents } from './component-validation.ts';
import type { FormErrors } from './errors.ts';
import {
  checkInteger,
  checkText,
  fieldError,
  isEmpty,
  isRecord,
  limits,
  maxLength,
  notArray,
  notObject,
  setError,
  webhookNameProblems,
} from './validation.ts';

/** Validates one embed into `tree` under `embeds.<index>`; returns the characters it counts toward 6000. */
function checkEmbed(tree: FormErrors, index: number, embed: unknown): number {
  const at = (...rest: (string | number)[]) => ['embeds', index, ...rest];
  if (!isRecord(embed)) {
    setError(tree, at(), notObject());
    return 0;
  }
  let size = 0;
  size += checkText(tree, at('title'), embed.title, limits.embedTitle);
  size += checkText(tree, at('description'), embed.description, limits.embedDescription);
  checkInteger(tree, at('color'), embed.color, 0, limits.embedColor);
  if (embed.footer !== undefined && embed.footer !== null) {
    if (!isRecord(embed.footer)) setError(tree, at('footer'), notObject());
    else size += checkText(tree, at('footer', 'text'), embed.footer.text, limits.footerText);
  }
  if (embed.author !== undefined && embed.author !== null) {
    if (!isRecord(embed.author)) setError(tree, at('author'), notObject());
    else size += checkText(tree, at('author', 'name'), embed.author.name, limits.authorName);
  }
  if (embed.fields !== undefined && embed.fields !== null) {
    if (!Array.isArray(embed.fields)) {
      setError(tree, at('fields'), notArray());
    } else {
      if (embed.fields.length > limits.embedFields)
        setError(tree, at('fields'), maxLength(limits.embedFields));
      embed.fields.forEach((field: unknown, f) => {
        if (!isRecord(field)) {
          setError(tree, at('fields', f), notObject());
          return;
        }
        size += checkText(tree, at('fields', f, 'name'), field.name, limits.fieldName, { required: true });
        size += checkText(tree, at('fields', f, 'value'), field.value, limits.fieldValue, { required: true });
      });
    }
  }
  return size;
}

/** The parts of a message body the stand-in keeps; everything else Discord accepts is ignored. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  allowed_mentions?: APIAllowedMentions | null;
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  username?: string;
  avatar_url?: string;
  tts?: boolean;
}

export type MessageCheck = { ok: true; payload: MessagePayload } | { ok: false; errors: FormErrors };

export interface MessageBodyOptions {
  /** A webhook execution: `username` (and `avatar_url`) override the webhook's. */
  webhookOverrides?: boolean;
  /**
   * `ignore`: the message takes no components, unchecked and dropped — what Discord does with them on
   * a webhook our application did not make, unless `with_components=true`. Default `check`.
   */
  components?: 'check' | 'ignore';
}

/**
 * Content, embeds, components and (for webhook executions) the username override, within Discord's
 * limits. Emptiness (50006) is the caller's call: an edit may leave content out.
 */
export function checkMessageBody(body: unknown, options: MessageBodyOptions = {}): MessageCheck {
  const honoured = options.components !== 'ignore';
  const tree: FormErrors = {};
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  checkText(tree, ['content'], body.content, limits.content);
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      setError(tree, ['embeds'], notArray());
    } else {
      if (body.embeds.length > limits.embedsPerMessage)
        setError(tree, ['embeds'], maxLength(limits.embedsPerMessage));
      let total = 0;
      body.embeds.forEach((embed: unknown, index) => {
        total += checkEmbed(tree, index, embed);
      });
      if (total > limits.embedTotal) {
        setError(
          tree,
          ['embeds'],
          fieldError('MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${limits.embedTotal}`),
        );
      }
    }
  }
  if (
    body.allowed_mentions !== undefined &&
    body.allowed_mentions !== null &&
    !isRecord(body.allowed_mentions)
  ) {
    setError(tree, ['allowed_mentions'], notObject());
  }
  if (honoured) checkComponents(tree, body.components, body.flags);
  if (body.flags !== undefined && body.flags !== null && !Number.isInteger(body.flags)) {
    setError(tree, ['flags'], fieldError('NUMBER_TYPE_COERCE', `Value "${String(body.flags)}" is not int.`));
  }
  if (options.webhookOverrides && body.username !== undefined && body.username !== null) {
    const problems = webhookNameProblems(body.username);
    if (problems) setError(tree, ['username'], problems);
  }
  if (!isEmpty(tree)) return { ok: false, errors: tree };

  const payload: MessagePayload = {};
  if (typeof body.content === 'string') payload.content = body.content;
  if (Array.isArray(body.embeds)) payload.embeds = body.embeds as APIEmbed[];
  if (body.allowed_mentions !== undefined)
    payload.allowed_mentions = body.allowed_mentions as APIAllowedMentions | null;
  // null clears an edited message's components, as an empty list does.
  if (honoured && Array.isArray(body.components))
    payload.components = body.components as APIMessageTopLevelComponent[];
  else if (honoured && body.components === null) payload.components = [];
  if (typeof body.flags === 'number') payload.flags = body.flags;
  if (typeof body.tts === 'boolean') payload.tts = body.tts;
  if (options.webhookOverrides && typeof body.username === 'string') payload.username = body.username;
  if (options.webhookOverrides && typeof body.avatar_url === 'string') payload.avatar_url = body.avatar_url;
  return { ok: true, payload };
}

/** Whether a message would show nothing (Discord's 50006 Cannot send an empty message). */
export function isEmptyMessage(message: {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
}): boolean {
  return !message.content && !message.embeds?.length && !message.components?.length;
}
