// How saved reasons are offered as choices, and the LIKE patterns that find them. Pure.
// A reason choice's value is the text itself when it fits Discord's 100 characters; a longer text
// is offered by its name, which the command expands (moderation/saved-reasons.ts). A text that
// itself reads as a saved name goes by its own name too, so it is never expanded a second time.
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { MAX_AUTOCOMPLETE_CHOICES, MAX_CHOICE_LENGTH } from '../../shared/commands/limits.ts';
import { truncate } from '../../shared/embed-fit.ts';
import { looksLikeSavedName, type SavedReason } from '../moderation/saved-reasons.ts';

/** `text` as a literal inside a LIKE pattern: `%`, `_` and the escape character itself escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const prefixPattern = (text: string) => `${escapeLike(text)}%`;
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** "spam — Spamming links in several channels" within Discord's 100 characters. */
export function savedReasonLabel(reason: SavedReason): string {
  return truncate(`${reason.name} — ${oneLine(reason.text)}`, MAX_CHOICE_LENGTH);
}

/** The value a reason option gets when the moderator picks this saved reason. */
export function savedReasonValue(reason: SavedReason): string {
  const fits = reason.text.length <= MAX_CHOICE_LENGTH;
  return fits && !looksLikeSavedName(reason.text) ? reason.text : reason.name;
}

export function reasonChoices(reasons: readonly SavedReason[]): APIApplicationCommandOptionChoice<string>[] {
  return reasons
    .slice(0, MAX_AUTOCOMPLETE_CHOICES)
    .map((reason) => ({ name: savedReasonLabel(reason), value: savedReasonValue(reason) }));
}

/** For `/reasons remove name`: the value is the name. */
export function nameChoices(reasons: readonly SavedReason[]): APIApplicationCommandOptionChoice<string>[] {
  return reasons
    .slice(0, MAX_AUTOCOMPLETE_CHOICES)
    .map((reason) => ({ name: savedReasonLabel(reason), value: reason.name }));
}
