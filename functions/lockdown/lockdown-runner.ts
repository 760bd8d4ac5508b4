// Carries a lockdown forward, batch by batch, for whoever holds its claim: the command that started
// it (within its invocation's limits) or a scheduled tick (within the tick's budget). A batch reads
// the guild's channels once (one call, the current overwrites), changes up to BATCH_SIZE channels
// with a few calls in flight, records every outcome in one round trip, and, when no channel is left,
// finishes the lock or unlock with its event. Whatever a run cannot do in its limits stays in the
// table, claimed by nobody, for the next tick. A batch takes as many channels as the run's requests
// still cover, each counted at the most it can send (a lock with a notice: three calls a channel),
// so a run never goes past the subrequests it was given; after each batch the run settles to what
// its services really sent (a call is charged for a 429's retry and the budget's Redis round trip it
// rarely needs), so the next batch is sized by what is truly left.
// - Locking: each pending channel gets @everyone's LOCK_BITS denied (from the overwrite recorded
//   when planned); Discord refusing (missing access, missing permission) marks it `failed` with a
//   plain reason, listed in the reply and the mod-log; a transient failure stops the run (retried).
// - Unlocking (by /unlock, or the tick when `expires_at` passed): each locked channel's overwrite is
//   restored (overwrites.ts), pending ones are skipped.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { LockdownEvent } from '../../shared/events.ts';
import { deleteMessage, sendMessage } from '../discord/api.ts';
import {
  deleteOverwrite,
  type GuildChannel,
  listGuildChannels,
  putRoleOverwrite,
} from '../discord/channels.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { describeDiscordError } from '../interactions/errors.ts';
import { noMentions } from '../interactions/respond.ts';
import { SUBREQUEST_COST } from '../scheduled/budget.ts';
import type { Services } from '../services.ts';
import {
  type ChannelLockRow,
  type ChannelOutcome,
  channelsInState,
  countInState,
  finishStep,
  type LockdownRow,
  readLockdown,
  recordOutcomes,
  releaseLockdown,
  skipPending,
} from './lockdown-store.ts';
import { everyoneOverwrite, lockedOverwrite, restoreOverwrite } from './overwrites.ts';

/** Channels changed per batch (one listing, one write of outcomes). */
export const BATCH_SIZE = 25;
/** Discord calls in flight at once within a batch. */
const IN_FLIGHT = 5;
const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/**
 * A batch's own requests: the lockdown read, the batch's channels read, the listing, the outcomes,
 * the count left, the progress edit, and the finish (the pending skip, the channels read, the step).
 * Counted as the scheduler counts (scheduled/budget.ts): the most each call can send.
 */
export const BATCH_FIXED_COST = DB + DB + DISCORD + DB + DB + DISCORD + 3 * DB;
/** Per channel: the change; while locking with a notice, also its post and, if the lock is then refused, its deletion. */
export const channelCost = (withNotice: boolean): number => (withNotice ? 3 : 1) * DISCORD;
/** Channels a batch may take with `requests` left: up to BATCH_SIZE, as many as fit; 0 when none does. */
export const batchChannels = (requests: number, withNotice: boolean): number =>
  Math.max(0, Math.min(BATCH_SIZE, Math.floor((requests - BATCH_FIXED_COST) / channelCost(withNotice))));
/** The least a run must have left to start a batch: one channel, with a notice. */
export const BATCH_COST = BATCH_FIXED_COST + channelCost(true);

/**
 * The batches a run with `requests` takes for `channels` channels, as advanceLockdown takes them
 * (the first sized for a notice until the lockdown is read): for planning and tests.
 */
export function batchSizes(requests: number, withNotice: boolean, channels: number): number[] {
  const sizes: number[] = [];
  let left = channels;
  let first = true;
  while (left > 0 && batchChannels(requests, first || withNotice) > 0) {
    first = false;
    const size = Math.min(batchChannels(requests, withNotice), left);
    if (size === 0) break;
    sizes.push(size);
    requests -= BATCH_FIXED_COST + size * channelCost(withNotice);
    left -= size;
  }
  return sizes;
}

export interface RunLimits {
  /** Requests this run may still send; a batch starts only if its whole cost fits. */
  requests: number;
  /** Whether a batch may still start (the invocation's or the tick's wall time). */
  timeLeft(): boolean;
  now(): Date;
  /** Waits for a slot for one Discord call (the bot's global limit is shared by all of Lockdown). */
  pace(): Promise<void>;
  /** Told after each batch, e.g. to edit the moderator's reply. Never throws. */
  progress?(row: LockdownRow, left: number): Promise<void>;
}

export interface RunResult {
  state: LockdownRow['state'];
  /** Events queued by this run (the lockdown's end), to publish. */
  events: LockdownEvent[];
  batches: number;
}

/** Runs the claimed lockdown `id` until it is done or the limits are reached; never leaves it claimed. */
export async function advanceLockdown(services: Services, id: string, limits: RunLimits): Promise<RunResult> {
  const { db } = services;
  const result: RunResult = { state: 'locking', events: [], batches: 0 };
  const start = services.subrequests();
  let requests = limits.requests;
  /** Settles the allowance to what the run's services really sent. */
  const settle = () => {
    requests = limits.requests - (services.subrequests() - start);
  };
  try {
    // Until the lockdown is read, a channel costs what one with a notice does; then what it does.
    let withNotice = true;
    while (batchChannels(requests, withNotice) > 0 && limits.timeLeft()) {
      const row = await readLockdown(db, id);
      if (!row) return result;
      result.state = row.state;
      if (row.state === 'locked' || row.state === 'unlocked') return result;
      const now = limits.now();
      const unlocking = row.state === 'unlocking';
      withNotice = row.notice !== null && !unlocking;
      const size = batchChannels(requests, withNotice);
      requests -= BATCH_FIXED_COST + size * channelCost(withNotice);
      const batch = await channelsInState(db, id, [unlocking ? 'locked' : 'pending'], size);
      requests += (size - batch.length) * channelCost(withNotice);
      if (batch.length === 0) {
        if (await finishRun(services, row, now, result)) return result;
        continue;
      }
      const channels = new Map(
        (await listGuildChannels(services.discord, row.guildId)).map((c) => [c.id, c]),
      );
      const { outcomes, stopped } = await changeChannels(services, row, batch, channels, now, limits.pace);
      await recordOutcomes(db, id, outcomes, now);
      result.batches += 1;
      if (stopped) break;
      const left = await countInState(db, id, [unlocking ? 'locked' : 'pending']);
      if (limits.progress) await limits.progress(row, left);
      // The last batch finishes the lockdown at once (its cost is in BATCH_FIXED_COST), not a run later.
      if (left === 0 && (await finishRun(services, row, now, result))) return result;
      settle();
    }
  } finally {
    if (result.state === 'locking' || result.state === 'unlocking') await releaseLockdown(db, id);
  }
  return result;
}

/**
 * Ends the lock or unlock if the lockdown is still in the state `row` was read in; otherwise (an
 * /unlock turned it meanwhile) the run goes on in its new state. Returns whether it ended.
 */
async function finishRun(
  services: Services,
  row: LockdownRow,
  now: Date,
  result: RunResult,
): Promise<boolean> {
  const unlocking = row.state === 'unlocking';
  if (unlocking) await skipPending(services.db, row.id);
  const { moved, event, to } = await finish(services, row, now);
  if (event) result.events.push(event);
  if (!moved) return false;
  result.state = to;
  return true;
}

/** Reasons a moderator can act on, never Discord's raw text. */
function whyRefused(error: DiscordApiError): string {
  if (error.code === RESTJSONErrorCodes.MissingPermissions) {
    return 'I lack Manage Permissions there, or a permission a lock denies (Send Messages, threads, reactions)';
  }
  if (error.code === RESTJSONErrorCodes.MissingAccess) return 'I cannot see that channel';
  if (error.code === RESTJSONErrorCodes.UnknownChannel) return 'the channel no longer exists';
  return describeDiscordError(error);
}

/** A refusal is the channel's outcome; anything else (5xx, timeouts, 429) stops the run for a retry. */
const isRefusal = (error: unknown): error is DiscordApiError =>
  error instanceof DiscordApiError &&
  error.kind === 'http' &&
  error.status >= 400 &&
  error.status < 500 &&
  error.status !== 429;

async function changeChannels(
  services: Services,
  row: LockdownRow,
  batch: readonly ChannelLockRow[],
  channels: ReadonlyMap<string, GuildChannel>,
  now: Date,
  pace: RunLimits['pace'],
): Promise<{ outcomes: ChannelOutcome[]; stopped: boolean }> {
  const outcomes: ChannelOutcome[] = [];
  let next = 0;
  let stop: unknown = null;
  const worker = async () => {
    while (next < batch.length && stop === null) {
      const lock = batch[next++] as ChannelLockRow;
      try {
        // A slot per call: the change, and the notice when a lock posts one.
        await pace();
        if (row.notice && row.state !== 'unlocking') await pace();
        outcomes.push(
          row.state === 'unlocking'
            ? await restoreOne(services, row, lock, channels.get(lock.channelId), now)
            : await lockOne(services, row, lock, channels.has(lock.channelId), now),
        );
      } catch (error) {
        if (isRefusal(error)) {
          outcomes.push({
            id: lock.id,
            state: row.state === 'unlocking' ? 'restore_failed' : 'failed',
            error: whyRefused(error),
            at: now,
          });
        } else stop = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batch.length) }, worker));
  // A channel whose call failed stays as it was in the table and is tried again by the next run:
  // the change is idempotent (the same overwrite set again), so stopping loses nothing.
  if (stop !== null && outcomes.length === 0) throw stop;
  return { outcomes, stopped: stop !== null };
}

const previousOf = (lock: ChannelLockRow) =>
  lock.hadOverwrite ? { allow: BigInt(lock.previousAllow), deny: BigInt(lock.previousDeny) } : null;

async function lockOne(
  services: Services,
  row: LockdownRow,
  lock: ChannelLockRow,
  exists: boolean,
  now: Date,
): Promise<ChannelOutcome> {
  if (!exists) return { id: lock.id, state: 'failed', error: 'the channel no longer exists', at: now };
  const target = lockedOverwrite(previousOf(lock));
  if (!target)
    return { id: lock.id, state: 'skipped', error: '@everyone could not write there already', at: now };
  // The notice goes first: once @everyone is denied, the bot itself cannot send there unless one of
  // its roles has an overwrite allowing it. If the lock is then refused, the notice is taken back.
  let error: string | null = null;
  let notice: string | null = null;
  if (row.notice) {
    try {
      notice = (
        await sendMessage(services.discord, lock.channelId, {
          content: `🔒 ${row.notice}`,
          allowed_mentions: noMentions,
        })
      ).id;
    } catch (sendError) {
      error = `notice not posted: ${sendError instanceof DiscordApiError ? whyRefused(sendError) : 'Discord did not answer'}`;
    }
  }
  try {
    await putRoleOverwrite(services.discord, lock.channelId, row.guildId, target, {
      auditLogReason: `lockdown by ${row.moderatorId}${row.reason ? `: ${row.reason}` : ''}`,
    });
  } catch (lockError) {
    if (notice && isRefusal(lockError)) {
      await deleteMessage(services.discord, lock.channelId, notice).catch(() => undefined);
    }
    throw lockError;
  }
  return { id: lock.id, state: 'locked', error, at: now };
}

async function restoreOne(
  services: Services,
  row: LockdownRow,
  lock: ChannelLockRow,
  channel: GuildChannel | undefined,
  now: Date,
): Promise<ChannelOutcome> {
  if (!channel) return { id: lock.id, state: 'restored', error: 'the channel no longer exists', at: now };
  const restore = restoreOverwrite(everyoneOverwrite(channel, row.guildId), previousOf(lock));
  const auditLogReason = `unlock by ${row.unlockedBy ?? row.moderatorId}${row.endState === 'expired' ? ' (lockdown expired)' : row.unlockReason ? `: ${row.unlockReason}` : ''}`;
  if (restore.kind === 'put') {
    await putRoleOverwrite(services.discord, lock.channelId, row.guildId, restore.overwrite, {
      auditLogReason,
    });
  } else if (restore.kind === 'delete') {
    await deleteOverwrite(services.discord, lock.channelId, row.guildId, { auditLogReason });
  }
  return { id: lock.id, state: 'restored', error: null, at: now };
}

async function finish(services: Services, row: LockdownRow, now: Date) {
  const unlocking = row.state === 'unlocking';
  const all = await channelsInState(
    services.db,
    row.id,
    unlocking ? ['restored', 'restore_failed'] : ['locked', 'failed'],
  );
  const changed = all.filter((c) => c.state === 'locked' || c.state === 'restored');
  if (!unlocking && changed.length === 0) {
    // Nothing was locked (every channel refused): nothing to unlock later. A channel lockdown's
    // refusal is the moderator's reply; a server lockdown's failures are worth a mod-log line.
    const report = row.scope === 'server' ? lockdownEvent(row, all, false) : null;
    const done = await finishStep(services.db, row, { from: 'locking', to: 'unlocked' }, report, now);
    return { ...done, to: 'unlocked' as const };
  }
  const to = unlocking ? ('unlocked' as const) : ('locked' as const);
  const done = await finishStep(
    services.db,
    row,
    { from: row.state, to },
    lockdownEvent(row, all, unlocking),
    now,
  );
  return { ...done, to };
}

function lockdownEvent(row: LockdownRow, all: readonly ChannelLockRow[], unlocking: boolean) {
  return {
    eventType: unlocking ? ('lockdown:lifted' as const) : ('lockdown:applied' as const),
    data: {
      id: row.id,
      guildId: row.guildId,
      moderatorId: unlocking ? (row.unlockedBy ?? row.moderatorId) : row.moderatorId,
      reason: unlocking ? row.unlockReason : row.reason,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      scope: row.scope,
      channelIds: all.filter((c) => c.state === 'locked' || c.state === 'restored').map((c) => c.channelId),
      failed: all
        .filter((c) => c.state === 'failed' || c.state === 'restore_failed')
        .map((c) => ({ channelId: c.channelId, why: c.error ?? 'refused by Discord' })),
      ...(unlocking ? { endState: row.endState ?? 'lifted' } : {}),
    },
  };
}
