// Health answers. `GET /health` is public liveness: it touches nothing, so it costs nothing to call
// and tells a caller nothing about the dependencies. `GET /health/deep` asks the database and Redis,
// behind HEALTH_TOKEN (off when unset), and says "ok" or "down" for each: never the driver's error
// text, which can name hosts or carry SQL; the reason goes to the log.
import { sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../db/edge.ts';
import type { EventStream } from './events/event-stream.ts';
import { errorForLog } from './log.ts';

const DEPENDENCY_TIMEOUT_MS = 2_000;

export type DependencyState = 'ok' | 'down';

export interface DeepHealth {
  status: 'ok' | 'degraded';
  database: DependencyState;
  redis: DependencyState;
}

function within<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), DEPENDENCY_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkDependencies(
  services: { db: EdgeDatabase; eventStream: EventStream },
  log: (line: string) => void,
): Promise<DeepHealth> {
  const [database, redis] = await Promise.allSettled([
    within(services.db.execute(sql`select 1`)),
    within(services.eventStream.ping()),
  ]);
  const state = (name: string, result: PromiseSettledResult<unknown>): DependencyState => {
    if (result.status === 'fulfilled') return 'ok';
    log(`health: ${name} down: ${errorForLog(result.reason)}`);
    return 'down';
  };
  const report = { database: state('database', database), redis: state('redis', redis) };
  return { status: report.database === 'ok' && report.redis === 'ok' ? 'ok' : 'degraded', ...report };
}
