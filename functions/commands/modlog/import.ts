// /modlog import since: — backfills the audit log's history as cases, on request
// (audit-sync/import-history.ts). Needs View Audit Log. The reply says how many were recorded,
// and when more are left than one run reads, that running it again goes on where it stopped.

import { IMPORT_DURATION_BOUNDS } from '../../../shared/command-definitions.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import { importHistory } from '../../audit-sync/import-history.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readDuration } from '../../moderation/inputs.ts';
import { DiscordPacer, realClock } from '../../scheduled/budget.ts';
import type { CommandContext } from '../command-handler.ts';

/** Pages (100 entries each) one import reads: within one invocation's time and subrequests. */
export const IMPORT_MAX_PAGES = 10;
/** An import is rare and small: paced well under Discord's global limit. */
const IMPORT_CALLS_PER_SECOND = 10;

export async function importModlog({
  services,
  interaction,
  options,
  waitUntil,
}: CommandContext): Promise<Reply> {
  requireBotPermissions(interaction, ['VIEW_AUDIT_LOG']);
  const lengthMs = readDuration(options, 'since', IMPORT_DURATION_BOUNDS);
  if (lengthMs === null) throw new CommandError('invalid_option', 'Say how far back, e.g. `since:3d`.');
  const now = services.now();
  const since = new Date(now.getTime() - lengthMs);
  const pacer = new DiscordPacer(realClock, IMPORT_CALLS_PER_SECOND);
  const result = await importHistory(services, interaction.guild_id, {
    now,
    since,
    pace: () => pacer.slot(),
    maxPages: IMPORT_MAX_PAGES,
  });
  if (result.events.length > 0) waitUntil(publishEvents(services, result.events));
  const found = result.recorded === 1 ? '1 action' : `${result.recorded} actions`;
  const lines = [
    result.recorded > 0
      ? `Imported ${found} from the audit log since ${discordTime(since, 'f')}; they reach the mod-log as digests.`
      : `Nothing new to import from the audit log since ${discordTime(since, 'f')}.`,
  ];
  if (result.skipped > 0) {
    lines.push(
      `${result.skipped} entr${result.skipped === 1 ? 'y was' : 'ies were'} already cases, Lockdown's own, or not moderation.`,
    );
  }
  if (result.more) {
    lines.push(
      'More history is left: run `/modlog import` again with the same `since` to go on (nothing is imported twice).',
    );
  }
  return { content: lines.join('\n') };
}
