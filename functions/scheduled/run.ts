// One scheduled tick (every minute): each step is bounded, and what is left waits for the next tick.
import { errorForLog } from '../interactions/errors.ts';
import type { Services } from '../services.ts';
import { publishStaleOutbox } from './publish-outbox.ts';

export interface TickOptions {
  scheduledTime: Date;
}

export interface TickReport {
  outboxPublished: number;
  outboxFailed: number;
}

export async function runScheduledJobs(services: Services, options: TickOptions): Promise<TickReport> {
  const report: TickReport = { outboxPublished: 0, outboxFailed: 0 };
  try {
    const outbox = await publishStaleOutbox(services, { now: options.scheduledTime, maxBatches: 10 });
    report.outboxPublished = outbox.published;
    report.outboxFailed = outbox.failed;
  } catch (error) {
    console.error(`scheduled: outbox step failed: ${errorForLog(error)}`);
  }
  console.log(`scheduled tick ${options.scheduledTime.toISOString()}: ${JSON.stringify(report)}`);
  return report;
}
