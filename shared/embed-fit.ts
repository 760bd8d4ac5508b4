// Discord's embed limits and the text tools that keep every embed inside them: cutting text between
// graphemes, counting an embed as Discord does, shrinking one that is too long, a field, a timestamp.
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const embedLimits = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  total: 6000,
  perMessage: 10,
} as const;

const graphemes =
  typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/**
 * Cuts text to at most `max` UTF-16 units (what `String#length` and {@link embedLength} count, never
 * less than what Discord counts), marking the cut with an ellipsis. It cuts between graphemes, so an
 * emoji, a surrogate pair or a letter with its accents is never split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const budget = max - 1; // room for the ellipsis
  let kept = '';
  const pieces: Iterable<string> = graphemes ? Array.from(graphemes.segment(text), (s) => s.segment) : text;
  for (const piece of pieces) {
    if (kept.length + piece.length > budget) break;
    kept += piece;
  }
  return `${kept.trimEnd()}…`;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);
/** A Discord timestamp in one style: `f` date and time, `t` time, `R` relative ("in 2 days"), `d` date. */
export const discordTime = (date: Date, style: 'f' | 't' | 'R' | 'd') => `<t:${unix(date)}:${style}>`;
/** A Discord timestamp: every reader sees it in their own time zone, with a live "in 2 days". */
export const discordTimestamp = (date: Date) => `<t:${unix(date)}:f> (<t:${unix(date)}:R>)`;
export const userLine = (id: string) => `<@${id}> (\`${id}\`)`;

export function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: truncate(name, embedLimits.fieldName),
    value: truncate(value, embedLimits.fieldValue),
    inline,
  };
}

/** Characters that count towards Discord's 6000-per-message embed total. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const f of embed.fields ?? []) length += f.name.length + f.value.length;
  return length;
}

/** The total of several embeds, which Discord caps at {@link embedLimits.total} per message. */
export function embedsLength(embeds: readonly APIEmbed[]): number {
  let total = 0;
  for (const embed of embeds) total += embedLength(embed);
  return total;
}

/** Shortest a field value is cut to before whole fields are dropped. */
const minFieldValue = 64;

/**
 * Makes an embed fit `total` characters (Discord's per-message total by default): it shortens the
 * description, then field values from the last field up, then drops trailing fields. Embeds that
 * already fit are returned unchanged.
 */
export function fitEmbed(embed: APIEmbed, total: number = embedLimits.total): APIEmbed {
  let excess = embedLength(embed) - total;
  if (excess <= 0) return embed;
  const out: APIEmbed = { ...embed, fields: embed.fields?.map((f) => ({ ...f })) };
  if (out.description) {
    const keep = Math.max(minFieldValue, out.description.length - excess);
    const before = out.description.length;
    out.description = truncate(out.description, keep);
    excess -= before - out.description.length;
  }
  const fields = out.fields ?? [];
  for (let i = fields.length - 1; i >= 0 && excess > 0; i--) {
    const f = fields[i] as APIEmbedField;
    if (f.value.length <= minFieldValue) continue;
    const before = f.value.length;
    f.value = truncate(f.value, Math.max(minFieldValue, before - excess));
    excess -= before - f.value.length;
  }
  while (excess > 0 && fields.length > 0) {
    const dropped = fields.pop() as APIEmbedField;
    excess -= dropped.name.length + dropped.value.length;
  }
  if (excess > 0 && out.footer) {
    const keep = Math.max(0, out.footer.text.length - excess);
    out.footer = { ...out.footer, text: truncate(out.footer.text, keep) };
  }
  return out;
}

// ---- raid digests ------------------------------------------------------------------------------
// Many cases of one kind (a /massban's batch, a run of same-kind cases by one moderator for one
// reason) shown compactly: the action, moderator and reason once, then one line per case.
