// How the scheduler treats a failed attempt: what kind of failure it was, when to try again, and
// whether to tell the moderators (once). Pure.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { DiscordApiError } from '../discord/rest.ts';

/** The first retry waits one tick. */
export const RETRY_BASE_DELAY_MS = 60_000;
/** Doubling from one minute reaches 64 minutes at the 7th attempt and stays there: about hourly. */
export const RETRY_MAX_DELAY_MS = 64 * 60_000;
/** Attempts after which the delay stops growing (base · 2^(n−1) reaches the cap). */
export const RETRY_CAP_ATTEMPTS = Math.log2(RETRY_MAX_DELAY_MS / RETRY_BASE_DELAY_MS) + 1;
/**
 * A failure that keeps coming back although it looked passing (5xx, timeouts) is reported once,
 * when the delays have added up to about an hour (1+2+4+8+16+32 minutes).
 */
export const REPORT_TRANSIENT_AFTER_ATTEMPTS = 6;

/** The wait before the next try, after `attempts` failed ones (attempts ≥ 1). */
export function retryDelayMs(attempts: number): number {
  if (attempts <= 0) return 0;
  if (attempts >= RETRY_CAP_ATTEMPTS) return RETRY_MAX_DELAY_MS;
  return Math.min(RETRY_BASE_DELAY_MS * 2 ** (attempts - 1), RETRY_MAX_DELAY_MS);
}

/** The sum of the waits after each of the first `attempts` failures. */
export function cumulativeRetryDelayMs(attempts: number): number {
  let total = 0;
  for (let n = 1; n <= attempts; n += 1) total += retryDelayMs(n);
  return total;
}

/**
 * `cumulativeRetryDelayMs(column)` as SQL, in milliseconds, for rows that keep only an attempt count
 * (pending_actions.reconcile_attempts): (2^a − 1)·base while doubling, then the capped part.
 */
export function cumulativeRetryDelaySql(attempts: AnyPgColumn) {
  const cap = RETRY_CAP_ATTEMPTS;
  const doubled = (2 ** cap - 1) * RETRY_BASE_DELAY_MS;
  return sql<number>`(case when ${attempts} <= ${sql.raw(String(cap))}
    then (power(2, ${attempts}) - 1) * ${sql.raw(String(RETRY_BASE_DELAY_MS))}
    else ${sql.raw(String(doubled))} + (${attempts} - ${sql.raw(String(cap))}) * ${sql.raw(String(RETRY_MAX_DELAY_MS))} end)`;
}

export type FailureKind =
  /** Discord said wait: not the job's fault, no attempt counted. */
  | 'rate_limited'
  /** Discord 5xx, a timeout, a network error, or our database: worth retrying soon. */
  | 'transient'
  /** Discord refused (missing permission, bot no longer in the server…): retried rarely, reported once. */
  | 'permanent';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** For rate limits: how long Discord asked us to wait. */
  retryAfterMs: number | null;
}

export function classifyFailure(error: unknown): ClassifiedFailure {
  if (!(error instanceof DiscordApiError)) return { kind: 'transient', retryAfterMs: null };
  if (error.status === 429) {
    return { kind: 'rate_limited', retryAfterMs: Math.ceil((error.retryAfterSeconds ?? 1) * 1000) };
  }
  if (error.outcomeUnknown) return { kind: 'transient', retryAfterMs: null };
  return { kind: 'permanent', retryAfterMs: null };
}

/** What a permanent Discord refusal means the bot is missing, in words for the mod-log. */
export function describeMissing(error: unknown, permission: string): string {
  if (!(error instanceof DiscordApiError)) return 'nothing on Discord: the bot could not reach its database';
  switch (error.code) {
    case RESTJSONErrorCodes.MissingPermissions:
      return `the ${permission} permission, or a role above the member's highest role`;
    case RESTJSONErrorCodes.MissingAccess:
      return 'access to the server (Discord says Missing Access)';
    case RESTJSONErrorCodes.UnknownGuild:
      return 'membership of the server: the bot is no longer in it';
    default:
      if (error.status === 401) return 'a valid bot token (Discord answered 401 Unauthorized)';
      if (error.outcomeUnknown) return 'nothing on our side: Discord keeps failing or timing out';
      return `nothing it can name: Discord refused with HTTP ${error.status}, code ${error.code} (${error.discordMessage})`;
  }
}

export interface ScheduleState {
  attempts: number;
  reportedAt: Date | null;
}

export interface AfterFailure {
  attempts: number;
  nextAttemptAt: Date;
  /** True exactly once per run of failures: now is the moment to tell the moderators. */
  report: boolean;
}

/**
 * The bookkeeping after a failed attempt. Passing failures back off 1, 2, 4 … 64 minutes; a
 * permanent one goes straight to the longest delay. Either is reported once: a permanent one at
 * once, a passing one when it has kept failing for about an hour.
 */
export function afterFailure(state: ScheduleState, kind: 'transient' | 'permanent', now: Date): AfterFailure {
  const attempts = state.attempts + 1;
  const delay = kind === 'permanent' ? RETRY_MAX_DELAY_MS : retryDelayMs(attempts);
  const report =
    state.reportedAt === null && (kind === 'permanent' || attempts >= REPORT_TRANSIENT_AFTER_ATTEMPTS);
  return { attempts, nextAttemptAt: new Date(now.getTime() + delay), report };
}

/**
 * The same for rows with no "reported" column (pending_actions): a permanent failure jumps the count
 * to the cap, and the report is due when the count first reaches REPORT_TRANSIENT_AFTER_ATTEMPTS or
 * more — which happens once.
 */
export function afterCountedFailure(
  attempts: number,
  kind: 'transient' | 'permanent',
): { attempts: number; report: boolean } {
  const next = kind === 'permanent' ? Math.max(attempts + 1, RETRY_CAP_ATTEMPTS) : attempts + 1;
  const report = attempts < REPORT_TRANSIENT_AFTER_ATTEMPTS && next >= REPORT_TRANSIENT_AFTER_ATTEMPTS;
  return { attempts: next, report };
}

/**
 * What a failure was, as the guild is told it: the "Last error" of a `schedule.failed` report and
 * the case's `schedule_last_error`. A plain sentence built from the error's kind, never its text: a
 * database error carries its SQL, parameters and host names, which belong in the logs only.
 */
export function failureForGuild(error: unknown): string {
  if (!(error instanceof DiscordApiError)) return 'The database was unreachable.';
  if (error.kind === 'timeout') return 'Discord did not answer in time.';
  if (error.kind === 'network') return 'Discord could not be reached.';
  if (error.status >= 500) return `Discord failed with HTTP ${error.status}.`;
  if (error.status === 429) return 'Discord rate limited the request.';
  const code = error.code ? ` (${error.code})` : '';
  return `Discord refused: ${error.discordMessage || `HTTP ${error.status}`}${code}.`;
}
