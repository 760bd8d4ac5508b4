// What /massban shows the moderator, pure: the preview (how many will be banned, who is skipped and
// why) with its Confirm and Cancel buttons, progress while banning, and the summary at the end.
// Within Discord's 2,000-character message content; mentions never ping (respond.ts).

import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { formatDuration } from '../../../../shared/duration.ts';
import { discordTime } from '../../../../shared/embed-fit.ts';
import { type Skip, type SkipReason, skipLabels } from './parse.ts';
import type { MassbanRow } from './store.ts';

export const MESSAGE_LIMIT = 2_000;
/** Users named per skip reason (and among failures); the rest are counted. */
const NAMED_PER_LINE = 15;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export const massbanCustomId = (verb: 'confirm' | 'cancel', id: string) => `massban:${verb}:${id}`;

export function previewButtons(id: string): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label: 'Confirm',
          custom_id: massbanCustomId('confirm', id),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Cancel',
          custom_id: massbanCustomId('cancel', id),
        },
      ],
    },
  ];
}

/** "a, b, c and 12 more" with ids as mentions (invalid entries in code spans). */
function names(entries: readonly string[], asMention: boolean): string {
  const shown = entries
    .slice(0, NAMED_PER_LINE)
    .map((e) => (asMention ? `<@${e}>` : `\`${e.replaceAll('`', "'")}\``));
  const more = entries.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

export function skippedLines(skipped: readonly Skip[]): string[] {
  const byReason = new Map<SkipReason, string[]>();
  for (const skip of skipped) byReason.set(skip.why, [...(byReason.get(skip.why) ?? []), skip.userId]);
  return [...byReason].map(
    ([why, ids]) =>
      `- ${skipLabels[why]} (${ids.length.toLocaleString('en-US')}): ${names(ids, why !== 'invalid')}`,
  );
}

/** Keeps whole lines within the message limit, ending with a note when some had to go. */
export function fitLines(lines: readonly string[]): string {
  const text = lines.join('\n');
  if (text.length <= MESSAGE_LIMIT) return text;
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const note = `… and ${lines.length - i} more lines`;
    if (length + line.length + 1 + note.length > MESSAGE_LIMIT) {
      kept.push(note);
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

export function previewText(
  row: Pick<MassbanRow, 'userIds' | 'banSeconds' | 'reason' | 'confirmBy'> & {
    skipped: readonly Skip[];
    uncheckedBans: number;
  },
): string {
  const lines: string[] = [];
  const n = row.userIds.length;
  const length = row.banSeconds ? ` for ${formatDuration(row.banSeconds * 1000)}` : '';
  lines.push(
    n > 0
      ? `**${plural(n, 'user')}** will be banned${length}. Reason: ${row.reason}`
      : '**Nobody** on the list can be banned.',
  );
  if (row.skipped.length > 0) {
    lines.push(
      `Skipped ${row.skipped.length.toLocaleString('en-US')} ${row.skipped.length === 1 ? 'entry' : 'entries'}:`,
    );
    lines.push(...skippedLines(row.skipped));
  }
  if (row.uncheckedBans > 0)
    lines.push(
      `I could not check whether ${plural(row.uncheckedBans, 'user')} are banned already (the ban list is long); Discord will report any that are.`,
    );
  if (n > 0)
    lines.push(`Confirm by ${discordTime(row.confirmBy, 't')}, or cancel. Nothing has been done yet.`);
  return fitLines(lines);
}

export function progressText(row: Pick<MassbanRow, 'userIds'>, sent: number): string {
  return `⏳ Banned ${sent.toLocaleString('en-US')} of ${row.userIds.length.toLocaleString('en-US')}…`;
}

/**
 * The end: how many were banned (and their case numbers), who Discord did not ban — by name when
 * `usernames` knows them — and a plain sentence for Discord's 500000 (it banned none of a chunk).
 */
export function summaryText(
  row: Pick<MassbanRow, 'userIds' | 'bannedCount' | 'failedUserIds' | 'banSeconds'>,
  cases: { first: number; last: number } | null,
  usernames: ReadonlyMap<string, string>,
  noneBanned: boolean,
): string {
  const lines: string[] = [];
  const length = row.banSeconds ? ` for ${formatDuration(row.banSeconds * 1000)}` : '';
  const numbers = cases
    ? cases.first === cases.last
      ? ` — case #${cases.first}`
      : ` — cases #${cases.first}–#${cases.last}`
    : '';
  lines.push(
    row.bannedCount > 0
      ? `🔨 Banned ${plural(row.bannedCount, 'user')}${length}${numbers}.`
      : '🔨 Nobody was banned.',
  );
  const failed = row.failedUserIds;
  if (failed.length > 0) {
    const shown = failed
      .slice(0, NAMED_PER_LINE)
      .map((id) => (usernames.has(id) ? `**${usernames.get(id)}** (<@${id}>)` : `<@${id}>`));
    const more = failed.length - shown.length;
    lines.push(
      `Discord did not ban ${plural(failed.length, 'user')}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
    );
    if (noneBanned || row.bannedCount === 0)
      lines.push(
        'Discord answered that it could ban none of them (error 500000): they may be banned already, ranked at or above my highest role, or unknown to Discord.',
      );
    else lines.push('They may be banned already, or ranked at or above my highest role.');
  }
  return fitLines(lines);
}
