// `/modlog import since:` — backfills cases from the audit log's history on request (the sync itself
// starts from "now", so installing Lockdown does not flood the mod-log). Reads entries after
// `since` up to where the regular sync reads from (its cursor; set first if the guild was never
// synced), oldest first, and records each like the sync does (sync-guild.ts `recordEntry`: one case
// per entry, keyed by its id, so running the import again repeats nothing). The cases share one
// batch id, so the relay posts them as digests. Bounded per run (`maxPages`); what is left is
// imported by running the command again.

import { snowflakeAt } from '../../shared/snowflakes.ts';
import { AUDIT_LOG_PAGE_LIMIT, getAuditLog } from '../discord/audit-log.ts';
import type { Services } from '../services.ts';
import { rememberUsers } from '../users/known-users.ts';
import { usersOfAuditLog } from '../users/seen-users.ts';
import { byEntryId } from './entries.ts';
import { discordCall, type GuildSyncResult, recordEntry, type SyncRun, startCursor } from './sync-guild.ts';
import { readSyncRow } from './sync-store.ts';

export interface ImportOptions {
  now: Date;
  since: Date;
  pace(): Promise<void>;
  maxPages: number;
}

export interface ImportResult extends GuildSyncResult {
  batchId: string;
}

export async function importHistory(
  services: Services,
  guildId: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const batchId = crypto.randomUUID();
  const run: SyncRun = {
    services,
    guildId,
    options: { now: options.now, pace: options.pace, maxPages: options.maxPages },
    result: { status: 'ok', recorded: 0, skipped: 0, events: [], pages: 0, discordCalls: 0, more: false },
    batchId,
  };
  let cursor = (await readSyncRow(services.db, guildId))?.cursor ?? null;
  if (!cursor) {
    await startCursor(run);
    cursor = (await readSyncRow(services.db, guildId))?.cursor ?? null;
  }
  const upTo = BigInt(cursor ?? snowflakeAt(options.now.getTime()));
  let after = snowflakeAt(options.since.getTime());
  while (run.result.pages < options.maxPages) {
    const page = await discordCall(run, () =>
      getAuditLog(services.discord, guildId, { limit: AUDIT_LOG_PAGE_LIMIT, after }),
    );
    run.result.pages += 1;
    // The page names its moderators and targets: the dashboard's names (best effort, never throws).
    await rememberUsers(services.db, usersOfAuditLog(page));
    const entries = [...page.audit_log_entries].sort(byEntryId);
    // Entries past the cursor are the regular sync's.
    const mine = entries.filter((entry) => BigInt(entry.id) <= upTo);
    for (const entry of mine) await recordEntry(run, entry);
    const last = entries.at(-1);
    if (!last || mine.length < entries.length || entries.length < AUDIT_LOG_PAGE_LIMIT) {
      return { ...run.result, batchId };
    }
    after = last.id;
  }
  return { ...run.result, more: true, batchId };
}
