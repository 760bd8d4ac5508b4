// Scheduled job: carries lockdowns forward. A server lockdown larger than its command's invocation
// could lock (or unlock) is finished here, batch by batch, within the tick's budget; a timed
// lockdown whose `expires_at` passed is turned to `unlocking` (by the bot, `expired`) and restored.
// Each lockdown is claimed first (lockdown-store.ts `claimLockdown`), so a tick never works on one
// that a command or an overlapping tick holds. The moderator's reply is edited while its token lives.

import { progressText } from '../lockdown/lockdown-replies.ts';
import { advanceLockdown, BATCH_COST } from '../lockdown/lockdown-runner.ts';
import { channelsInState, claimLockdown, lockdownsDue, requestUnlock } from '../lockdown/lockdown-store.ts';
import { editLockdownReply, editLockdownSummary } from '../lockdown/reply-edits.ts';
import { errorForLog } from '../log.ts';
import { SUBREQUEST_COST } from './budget.ts';
import { metered, type TickContext } from './context.ts';

/** Lockdowns looked at per tick (each may take many batches). */
const LOCKDOWNS_PER_TICK = 10;
/** A lockdown's claim and its expiry turn: a couple of round trips before its batches. */
const CLAIM_COST = 2 * SUBREQUEST_COST.db;

export interface LockdownReport {
  /** Lockdowns whose time was up, turned to unlocking. */
  expired: number;
  /** Batches of channels run. */
  batches: number;
  /** Lockdowns that reached their end (locked, or unlocked) this tick. */
  finished: number;
  failed: number;
}

export async function continueLockdowns(tick: TickContext): Promise<LockdownReport> {
  const report: LockdownReport = { expired: 0, batches: 0, finished: 0, failed: 0 };
  const { budget } = tick;
  if (!budget.take(SUBREQUEST_COST.db)) return report;
  const due = await metered(tick, budget, SUBREQUEST_COST.db, ({ db }) =>
    lockdownsDue(db, tick.now, LOCKDOWNS_PER_TICK, tick.guildIds),
  );
  for (const row of due) {
    if (!budget.timeLeft || budget.remaining < CLAIM_COST + BATCH_COST) break;
    const reserve = budget.remaining;
    budget.take(reserve);
    try {
      await metered(tick, budget, reserve, async (services) => {
        if (row.state === 'locked') {
          const expired = await requestUnlock(services.db, row.id, {
            moderatorId: services.applicationId,
            reason: 'Lockdown expired',
            endState: 'expired',
            now: tick.now,
          });
          if (expired) report.expired += 1;
        }
        if (!(await claimLockdown(services.db, row.id, tick.now))) return;
        const total = (
          await channelsInState(services.db, row.id, [
            'pending',
            'locked',
            'failed',
            'restored',
            'restore_failed',
            'skipped',
          ])
        ).length;
        const run = await advanceLockdown(services, row.id, {
          requests: reserve - CLAIM_COST - 1,
          timeLeft: () => budget.timeLeft,
          pace: () => tick.pacer.slot(),
          now: () => tick.now,
          progress: (current, left) =>
            editLockdownReply(
              services,
              current,
              progressText(current.state === 'unlocking', { total, left }),
            ),
        });
        report.batches += run.batches;
        tick.events.push(...run.events);
        if (run.state === 'locked' || run.state === 'unlocked') {
          report.finished += 1;
          await editLockdownSummary(services, { ...row, state: run.state }, run.state === 'unlocked');
        }
      });
    } catch (error) {
      report.failed += 1;
      console.error(`scheduled: lockdown ${row.id} could not go on: ${errorForLog(error)}`);
    }
  }
  return report;
}
