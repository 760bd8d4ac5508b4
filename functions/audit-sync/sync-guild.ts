// One guild's audit-log sync: read the entries after the guild's cursor, page by page, and record
// each as a case (entries.ts says what it becomes) through the same recordCase as a command —
// numbered, with its outbox event, ending the cases it ends. The first sync only sets the cursor to
// the newest entry. Also reports a missing View Audit Log once, and each of Discord's own raid and
// DM-spam detections once. Which guilds sync when is the fan-out's job; this never loops over guilds.
// See docs/ARCHITECTURE.md "Audit-log sync".
import { type APIAuditLogEntry, type APIGuildMember, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, eq, gte, isNull, lte } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import type { AuditEventData, LockdownEvent } from '../../shared/events.ts';
import { snowflakeAt } from '../../shared/snowflakes.ts';
import { getGuild, getMember } from '../discord/api.ts';
import { AUDIT_LOG_PAGE_LIMIT, getAuditLog, lacksAuditLog } from '../discord/audit-log.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { carryOutCrossing } from '../escalation/runner.ts';
import { errorForLog } from '../log.ts';
import { auditEvent } from '../moderation/audit.ts';
import { recordCase } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { rememberUsers } from '../users/known-users.ts';
import { usersOfAuditLog } from '../users/seen-users.ts';
import { byEntryId, type EntryCase, entryOutcome } from './entries.ts';
import {
  type IncidentKind,
  markIncidentAlerted,
  markMissingPermission,
  readSyncRow,
  type SyncRow,
  saveCursor,
  saveError,
} from './sync-store.ts';

export interface GuildSyncOptions {
  now: Date;
  /** Awaited before each Discord call: the shared budget (h8 passes its Redis-backed pacer). */
  pace(): Promise<void>;
  /** Most audit-log pages (100 entries each) this run may read; more are left for the next run. */
  maxPages: number;
}

export interface GuildSyncResult {
  status: 'ok' | 'missing_permission' | 'failed';
  /** Cases recorded this run (0 when quiet). */
  recorded: number;
  /** Entries read and skipped (the bot's own, unknown kinds, already recorded). */
  skipped: number;
  /**
   * Events queued in the outbox (publish them after: publishEvents(services, events)) — on `failed`
   * too: what was recorded before the failure stays recorded.
   */
  events: LockdownEvent[];
  pages: number;
  discordCalls: number;
  /** True when maxPages stopped it with more to read. */
  more: boolean;
}

/**
 * A bulk ban (no actor) is one of Lockdown's own /massban when Lockdown holds a ban case of that
 * user from this close to the entry: the massban records its chunk's cases right after Discord's answer.
 */
export const MASSBAN_MATCH_WINDOW_MS = 5 * 60_000;
const UNIQUE_VIOLATION = '23505';
/**
 * Escalation crossings (an AutoMod block or flag bringing a member to a policy's threshold) a sync
 * carries out itself; more are left pending for the scheduler (scheduled/continue-escalations.ts).
 */
export const SYNC_ESCALATIONS = 3;
/** The most those cost besides their paced Discord calls: per crossing 4 queries and the guild's facts. */
export const SYNC_ESCALATION_RESERVE = SYNC_ESCALATIONS * (4 * 1 + 2 * 2);
const AUDIT_ENTRY_KEY = 'cases_guild_audit_entry_key';

export interface SyncRun {
  services: Services;
  guildId: string;
  options: GuildSyncOptions;
  result: GuildSyncResult;
  /** Set by a /modlog import: its cases share it, so the mod-log shows them as a digest. */
  batchId?: string;
  /** Escalation crossings the recorded cases made (escalation/crossing.ts), to carry out. */
  crossings?: string[];
}

/** Awaits the shared budget, counts the call, makes it. */
export async function discordCall<T>(run: SyncRun, call: () => Promise<T>): Promise<T> {
  await run.options.pace();
  run.result.discordCalls += 1;
  return call();
}

function isRecordedEntry(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (fields.code === UNIQUE_VIOLATION && fields.constraint === AUDIT_ENTRY_KEY) return true;
    if (typeof fields.message === 'string' && fields.message.includes(`"${AUDIT_ENTRY_KEY}"`)) return true;
  }
  return false;
}

export async function syncGuild(
  services: Services,
  guildId: string,
  options: GuildSyncOptions,
): Promise<GuildSyncResult> {
  const run: SyncRun = {
    services,
    guildId,
    options,
    result: { status: 'ok', recorded: 0, skipped: 0, events: [], pages: 0, discordCalls: 0, more: false },
  };
  try {
    const row = await readSyncRow(services.db, guildId);
    try {
      if (row?.cursor) await readNewEntries(run, row.cursor);
      else await startCursor(run);
      await escalate(run);
    } catch (error) {
      if (!lacksAuditLog(error)) throw error;
      run.result.status = 'missing_permission';
      await reportMissingPermission(run);
    }
    await checkIncidents(run, row).catch((error: unknown) => {
      // Not in the guild (50001) fails Get Guild too: the missing access is the report already made.
      if (run.result.status === 'missing_permission' && lacksAuditLog(error)) return;
      throw error;
    });
  } catch (error) {
    run.result.status = 'failed';
    const message = errorForLog(error);
    console.error(JSON.stringify({ msg: 'audit-log sync failed', guildId, error: message }));
    await saveError(services.db, guildId, message.slice(0, 500), options.now).catch(() => {});
  }
  return run.result;
}

/** The first sync: from now on. Only the newest entry's id is read; nothing before it is recorded. */
export async function startCursor(run: SyncRun): Promise<void> {
  const { services, guildId, options } = run;
  const page = await discordCall(run, () => getAuditLog(services.discord, guildId, { limit: 1 }));
  run.result.pages += 1;
  const newest = page.audit_log_entries[0]?.id ?? snowflakeAt(options.now.getTime());
  await saveCursor(services.db, guildId, newest, options.now);
}

/**
 * Pages forward from `cursor`, oldest first, recording each page's entries before moving the cursor
 * past them: a run that dies mid-page re-reads that page, and the entries already recorded are
 * refused by their unique key, so none is skipped or recorded twice.
 */
async function readNewEntries(run: SyncRun, cursor: string): Promise<void> {
  const { services, guildId, options } = run;
  let after = cursor;
  while (run.result.pages < options.maxPages) {
    const page = await discordCall(run, () =>
      getAuditLog(services.discord, guildId, { limit: AUDIT_LOG_PAGE_LIMIT, after }),
    );
    run.result.pages += 1;
    // The page names its moderators and targets: the dashboard's names (best effort, never throws).
    await rememberUsers(services.db, usersOfAuditLog(page));
    const entries = [...page.audit_log_entries].sort(byEntryId);
    for (const entry of entries) await recordEntry(run, entry);
    const last = entries.at(-1);
    // An empty page still proves the permission works: save clears a stale missing-permission mark.
    await saveCursor(services.db, guildId, last?.id ?? after, options.now);
    if (entries.length < AUDIT_LOG_PAGE_LIMIT || !last) return;
    after = last.id;
  }
  run.result.more = true;
}

export async function recordEntry(run: SyncRun, entry: APIAuditLogEntry): Promise<void> {
  const { services, guildId } = run;
  const outcome = entryOutcome(entry, {
    botUserId: services.applicationId,
    automodModeratorId: services.applicationId,
  });
  if (outcome.kind === 'skip') {
    run.result.skipped += 1;
    return;
  }
  const found = outcome.case;
  if (found.bulkBan && (await isLockdownMassban(run, found))) {
    run.result.skipped += 1;
    return;
  }
  const entryCase = found.timeoutEndUnknown ? await withTimeoutEnd(run, found) : found;
  try {
    const { event, crossing } = await recordCase(
      services.db,
      {
        id: crypto.randomUUID(),
        guildId,
        action: entryCase.action,
        userId: entryCase.userId,
        moderatorId: entryCase.moderatorId,
        reason: entryCase.reason,
        expiresAt: entryCase.expiresAt,
        timeoutUntil: entryCase.timeoutUntil,
        dmDelivered: null,
        source: entryCase.source,
        auditEntryId: entryCase.auditEntryId,
        automodRule: entryCase.automodRule,
        // What happened after this entry (a newer /ban) is not ended by it.
        endsCasesUntil: entryCase.at,
        batchId: run.batchId ?? null,
      },
      entryCase.at,
    );
    run.result.recorded += 1;
    run.result.events.push(event);
    if (crossing) {
      run.crossings = run.crossings ?? [];
      run.crossings.push(crossing.id);
    }
  } catch (error) {
    if (!isRecordedEntry(error)) throw error;
    run.result.skipped += 1;
  }
}

/**
 * Carries out the first crossings the recorded cases made, as the bot, paced like the sync's own
 * calls; the runner never throws, and what it leaves pending the scheduler settles.
 */
async function escalate(run: SyncRun): Promise<void> {
  const pace = async () => {
    await run.options.pace();
    run.result.discordCalls += 1;
  };
  for (const id of (run.crossings ?? []).slice(0, SYNC_ESCALATIONS)) {
    const outcome = await carryOutCrossing({ services: run.services, appPermissions: null, pace }, id);
    run.result.events.push(...outcome.events);
  }
}

async function isLockdownMassban(run: SyncRun, found: EntryCase): Promise<boolean> {
  const at = found.at.getTime();
  const [match] = await run.services.db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        eq(cases.guildId, run.guildId),
        eq(cases.userId, found.userId),
        eq(cases.action, 'ban'),
        eq(cases.source, 'command'),
        isNull(cases.auditEntryId),
        gte(cases.createdAt, new Date(at - MASSBAN_MATCH_WINDOW_MS)),
        lte(cases.createdAt, new Date(at + MASSBAN_MATCH_WINDOW_MS)),
      ),
    )
    .limit(1);
  return match !== undefined;
}

/** AutoMod's timeout entry does not say for how long: the member's timeout does, while it lasts. */
async function withTimeoutEnd(run: SyncRun, found: EntryCase): Promise<EntryCase> {
  let member: APIGuildMember;
  try {
    member = await discordCall(run, () => getMember(run.services.discord, run.guildId, found.userId));
  } catch (error) {
    if (error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownMember) return found;
    throw error;
  }
  const until = member.communication_disabled_until ? new Date(member.communication_disabled_until) : null;
  if (!until || until.getTime() <= found.at.getTime()) return found;
  return { ...found, expiresAt: until, timeoutUntil: until };
}

async function reportMissingPermission(run: SyncRun): Promise<void> {
  const { services, guildId, options } = run;
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId,
      userId: null,
      moderatorId: services.applicationId,
      reason:
        'Lockdown cannot read the audit log (View Audit Log is missing), so bans, kicks and timeouts made outside Lockdown are not recorded until it is granted.',
      expiresAt: null,
      action: 'auditlog.missing_permission',
      details: { permission: 'View Audit Log' },
    } satisfies AuditEventData,
    options.now,
  );
  const queued = await markMissingPermission(services.db, guildId, event, options.now);
  if (queued) run.result.events.push(queued);
}

const INCIDENTS: {
  kind: IncidentKind;
  label: string;
  stored: (row: SyncRow | undefined) => string | null;
}[] = [
  { kind: 'raid', label: 'a raid', stored: (row) => row?.raidAlertedAt ?? null },
  { kind: 'dm_spam', label: 'DM spam', stored: (row) => row?.dmSpamAlertedAt ?? null },
];

/** Discord's own raid and DM-spam detection (`incidents_data` on Get Guild): one alert per detection. */
async function checkIncidents(run: SyncRun, row: SyncRow | undefined): Promise<void> {
  const { services, guildId, options } = run;
  const guild = await discordCall(run, () => getGuild(services.discord, guildId));
  const incidents = guild.incidents_data ?? null;
  if (!incidents) return;
  for (const incident of INCIDENTS) {
    const detectedAt = incident.kind === 'raid' ? incidents.raid_detected_at : incidents.dm_spam_detected_at;
    if (!detectedAt || detectedAt === incident.stored(row)) continue;
    const paused = [
      incidents.invites_disabled_until ? `invites until ${incidents.invites_disabled_until}` : null,
      incidents.dms_disabled_until ? `DMs until ${incidents.dms_disabled_until}` : null,
    ].filter((part) => part !== null);
    const event = auditEvent(
      {
        id: null,
        caseNumber: null,
        guildId,
        userId: null,
        moderatorId: services.applicationId,
        reason: `Discord detected ${incident.label} at ${detectedAt}. ${
          paused.length ? `Discord paused ${paused.join(' and ')}.` : 'Discord paused nothing.'
        }`,
        expiresAt: null,
        action: 'discord.incident',
        details: {
          incident: incident.kind,
          detectedAt,
          invitesDisabledUntil: incidents.invites_disabled_until ?? null,
          dmsDisabledUntil: incidents.dms_disabled_until ?? null,
        },
      } satisfies AuditEventData,
      options.now,
    );
    const queued = await markIncidentAlerted(
      services.db,
      guildId,
      incident.kind,
      detectedAt,
      event,
      options.now,
    );
    if (queued) run.result.events.push(queued);
  }
}
