// The `/reasons list` embed: every saved reason on one line, within Discord's 4,096-character
// description. When the texts do not all fit in full, each is cut to one shared length, the
// largest that fits (short texts stay whole), so every name is always listed. Pure.
import type { APIEmbed } from 'discord-api-types/v10';
import { MAX_SAVED_REASONS } from '../../../shared/commands/limits.ts';
import { embedLimits, fitEmbed, truncate } from '../../../shared/embed-fit.ts';
import type { SavedReason } from '../../moderation/saved-reasons.ts';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const head = (reason: SavedReason) => `\`${reason.name}\` — `;

/** The lines, each text cut to at most `cap` characters. */
const linesAt = (reasons: readonly SavedReason[], cap: number) =>
  reasons.map((reason) => `${head(reason)}${truncate(oneLine(reason.text), cap)}`);

const totalLength = (lines: readonly string[]) =>
  lines.reduce((sum, line) => sum + line.length, 0) + Math.max(0, lines.length - 1);

/** Lines that fit `budget` characters joined by newlines: full texts if they fit, else the largest cap. */
export function reasonLines(
  reasons: readonly SavedReason[],
  budget: number = embedLimits.description,
): string[] {
  const longest = Math.max(0, ...reasons.map((reason) => oneLine(reason.text).length));
  const full = linesAt(reasons, longest);
  if (totalLength(full) <= budget) return full;
  // The longest cap whose lines fit: total length only grows with the cap, so a binary search finds it.
  let low = 0;
  let high = longest;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (totalLength(linesAt(reasons, mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  return linesAt(reasons, low);
}

export function savedReasonsEmbed(reasons: readonly SavedReason[]): APIEmbed {
  return fitEmbed({
    title: `Saved reasons (${reasons.length} of ${MAX_SAVED_REASONS})`,
    description: reasonLines(reasons).join('\n'),
    footer: {
      text: 'Pick one from the suggestions of any reason option, or type its name as the reason.',
    },
  });
}
