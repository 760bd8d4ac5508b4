// Scheduled job: carries massbans forward. Previews not confirmed within their 15 minutes become
// `expired`; a confirmed massban its click's invocation could not finish (too many chunks, Discord
// or the database failing, the invocation ending) is taken once its claim is free or lapsed
// (store.ts `claimMassban`) and banned chunk by chunk within the step's share of the tick. Such a
// run is `resumed`: its first chunk may be one Discord carried out whose cases were never written,
// and runner.ts records those without doubling any.

import { progressText } from '../commands/raid/massban/replies.ts';
import { editMassbanMessage, editMassbanSummary } from '../commands/raid/massban/reply-edits.ts';
import { advanceMassban, CHUNK_COST } from '../commands/raid/massban/runner.ts';
import { claimMassban, expireMassbans, massbansDue } from '../commands/raid/massban/store.ts';
import { errorForLog } from '../log.ts';
import { SUBREQUEST_COST } from './budget.ts';
import { metered, type TickContext } from './context.ts';

/** Massbans looked at per tick (each may take many chunks). */
const MASSBANS_PER_TICK = 5;
/** The claim, the moderator's name for the audit log, and the summary (case range, names, edit). */
const CLAIM_COST = 2 * SUBREQUEST_COST.db + SUBREQUEST_COST.discord + 20;

export interface MassbanReport {
  expired: number;
  chunks: number;
  finished: number;
  failed: number;
}

export async function continueMassbans(tick: TickContext): Promise<MassbanReport> {
  const report: MassbanReport = { expired: 0, chunks: 0, finished: 0, failed: 0 };
  const { budget } = tick;
  if (!budget.take(2 * SUBREQUEST_COST.db)) return report;
  const due = await metered(tick, budget, 2 * SUBREQUEST_COST.db, async ({ db }) => {
    report.expired = await expireMassbans(db, tick.now, { guildIds: tick.guildIds });
    return massbansDue(db, tick.now, MASSBANS_PER_TICK, tick.guildIds);
  });
  for (const { id } of due) {
    if (!budget.timeLeft || budget.remaining < CLAIM_COST + CHUNK_COST) break;
    const reserve = budget.remaining;
    budget.take(reserve);
    try {
      await metered(tick, budget, reserve, async (services) => {
        const row = await claimMassban(services.db, id, tick.now);
        if (!row) return;
        const run = await advanceMassban(services, id, {
          requests: reserve - CLAIM_COST,
          timeLeft: () => budget.timeLeft,
          now: () => tick.now,
          resumed: true,
          progress: (current, sent) => editMassbanMessage(services, current, progressText(current, sent)),
        });
        report.chunks += run.chunks;
        tick.events.push(...run.events);
        if (run.state === 'done') {
          report.finished += 1;
          await editMassbanSummary(services, row, run.noneBanned > 0);
        }
      });
    } catch (error) {
      report.failed += 1;
      console.error(`scheduled: massban ${id} could not go on: ${errorForLog(error)}`);
    }
  }
  return report;
}
