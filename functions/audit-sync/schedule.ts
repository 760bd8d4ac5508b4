// When a guild's audit log is read next (pure). Adaptive polling: a guild with moderation activity is
// read every minute; each quiet sync doubles the interval, up to 15 minutes, so 10,000 mostly quiet
// servers cost about 2 Discord calls per server per 15 minutes instead of per minute. A guild where
// the bot lacks View Audit Log is retried hourly (h7 reports it once). A failed sync is retried
// soon without growing the interval. Quiet intervals are shortened by up to JITTER_FRACTION so
// guilds installed together do not stay in lockstep (the fan-out's load stays even from minute to
// minute). See docs/ARCHITECTURE.md "Audit-log sync".

const MINUTE = 60_000;
/** How often an active guild is read (the cron's resolution). */
export const ACTIVE_INTERVAL_MS = MINUTE;
/** The longest a guild goes unread: the "never less than every 15 minutes". */
export const MAX_INTERVAL_MS = 15 * MINUTE;
/** Activity within this window keeps a guild at the active interval. */
export const RECENT_ACTIVITY_MS = 10 * MINUTE;
/** Without View Audit Log: a rare retry (the missing permission is reported once, by the sync). */
export const MISSING_PERMISSION_RETRY_MS = 60 * MINUTE;
/** After a failed sync (Discord or the database failing): try again at the next tick but one. */
export const FAILED_RETRY_MS = 2 * MINUTE;
/** A quiet interval is shortened by up to this fraction (never lengthened: 15 minutes holds). */
export const JITTER_FRACTION = 0.1;

/** The part of a sync's result (sync-guild.ts `GuildSyncResult`) the schedule depends on. */
export interface SyncOutcome {
  status: 'ok' | 'missing_permission' | 'failed';
  recorded: number;
  skipped: number;
  more: boolean;
}

export interface ScheduleInput {
  now: Date;
  /** What the sync returned; null when it could not run (it threw). */
  result: SyncOutcome | null;
  /** The guild's interval before this sync (audit_sync.interval_ms). */
  previousIntervalMs: number;
  lastActivityAt: Date | null;
  /** In [0, 1): spreads quiet guilds' next syncs (Math.random in production, fixed in tests). */
  jitter: number;
}

export interface ScheduleDecision {
  nextSyncAt: Date;
  intervalMs: number;
  lastActivityAt: Date | null;
}

/** An interval kept between the active interval and the cap (unknown: the active one). */
const clamped = (ms: number) =>
  Number.isFinite(ms) ? Math.min(MAX_INTERVAL_MS, Math.max(ACTIVE_INTERVAL_MS, ms)) : ACTIVE_INTERVAL_MS;

/** Doubling from the previous interval, kept between the active interval and the cap. */
export function grownInterval(previousIntervalMs: number): number {
  return clamped(clamped(previousIntervalMs) * 2);
}

export function nextSync(input: ScheduleInput): ScheduleDecision {
  const { now, result } = input;
  const at = (ms: number) => new Date(now.getTime() + ms);
  const previous = clamped(input.previousIntervalMs);
  if (result === null || result.status === 'failed') {
    // Not a sign of quiet: keep the interval, retry soon.
    return {
      nextSyncAt: at(Math.min(FAILED_RETRY_MS, previous)),
      intervalMs: previous,
      lastActivityAt: input.lastActivityAt,
    };
  }
  if (result.status === 'missing_permission') {
    // Once the permission is back, the guild starts as quiet and speeds up with activity.
    return {
      nextSyncAt: at(MISSING_PERMISSION_RETRY_MS),
      intervalMs: MAX_INTERVAL_MS,
      lastActivityAt: input.lastActivityAt,
    };
  }
  // Any entry read (a case recorded, or moderators acting through Lockdown, whose entries are
  // skipped) means people are moderating now.
  const active = result.recorded > 0 || result.skipped > 0;
  const lastActivityAt = active ? now : input.lastActivityAt;
  if (result.more) {
    // Pages left to read: the next tick carries on.
    return { nextSyncAt: now, intervalMs: ACTIVE_INTERVAL_MS, lastActivityAt };
  }
  const recent = lastActivityAt !== null && now.getTime() - lastActivityAt.getTime() < RECENT_ACTIVITY_MS;
  if (active || recent)
    return { nextSyncAt: at(ACTIVE_INTERVAL_MS), intervalMs: ACTIVE_INTERVAL_MS, lastActivityAt };
  const intervalMs = grownInterval(previous);
  const jitter = Math.min(Math.max(input.jitter, 0), 0.999_999);
  const wait =
    intervalMs === ACTIVE_INTERVAL_MS ? intervalMs : Math.round(intervalMs * (1 - JITTER_FRACTION * jitter));
  return { nextSyncAt: at(wait), intervalMs, lastActivityAt };
}
