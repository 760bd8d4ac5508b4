// What `/stats` shows and `/metrics` adds to the relay's counters: the stream and group as Redis
// reports them (XLEN, XINFO GROUPS), subscribers per pub/sub channel (PUBSUB NUMSUB), the dead
// letters waiting, and this relay's own counts.
import type { Redis } from 'ioredis';
import { eventTypes } from '../../shared/events.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { flatToObject } from '../stream/entries.ts';
import type { RelayMetrics } from './metrics.ts';

/** The stream's state as Redis reports it (`lag` is null when Redis cannot tell). */
export interface StreamFigures {
  stream: string;
  group: string;
  consumer: string;
  subscribers: Record<string, number>;
  streamLength: number;
  pending: number;
  lag: number | null;
  consumers: number;
  deadLetters: number;
}

/**
 * This relay's counts: events it posted (`delivered`), failed Discord attempts, events it
 * dead-lettered by reason and handled by outcome, events of types it does not know (`unknownEvents`,
 * by type), messages posted, 429s, entries read and not acked (`inFlight`), guilds in progress (`lanes`).
 */
export type RelayCounts = Record<'delivered' | 'failed' | 'messages' | 'rateLimited', number> &
  Record<'deadLettered' | 'events' | 'unknownEvents', Record<string, number>> &
  Record<'inFlight' | 'lanes' | 'uptimeSeconds', number>;

export type RelayStats = StreamFigures & RelayCounts;

export interface StatsSource {
  redis: Redis;
  store: RelayStore;
  metrics: RelayMetrics;
  streamKey: string;
  group: string;
  consumer: string;
}

export async function readStreamFigures(s: StatsSource): Promise<StreamFigures> {
  const [numsub, length, groups, deadLetters] = await Promise.all([
    s.redis.call('PUBSUB', 'NUMSUB', ...eventTypes) as Promise<(string | number)[]>,
    s.redis.xlen(s.streamKey),
    s.redis.xinfo('GROUPS', s.streamKey).catch(() => []) as Promise<unknown[]>,
    s.store.countWaitingDeadLetters(),
  ]);
  const subscribers: Record<string, number> = {};
  for (let i = 0; i + 1 < numsub.length; i += 2) subscribers[String(numsub[i])] = Number(numsub[i + 1]);
  const group = groups.map(flatToObject).find((g) => g.name === s.group) ?? {};
  const lag = group.lag;
  return {
    stream: s.streamKey,
    group: s.group,
    consumer: s.consumer,
    subscribers,
    streamLength: length,
    pending: Number(group.pending ?? 0),
    lag: lag === null || lag === undefined ? null : Number(lag),
    consumers: Number(group.consumers ?? 0),
    deadLetters,
  };
}

export async function readCounts(
  m: RelayMetrics,
  live: { inFlight: number; lanes: number; startedAt: number },
): Promise<RelayCounts> {
  return {
    delivered: await m.events.value({ outcome: 'delivered' }),
    failed: await m.failures.value(),
    deadLettered: await m.deadLettered.byLabel('reason'),
    events: await m.events.byLabel('outcome'),
    unknownEvents: await m.unknownEvents.byLabel('event_type'),
    messages: await m.messages.value(),
    rateLimited: await m.rateLimited.value(),
    inFlight: live.inFlight,
    lanes: live.lanes,
    uptimeSeconds: Math.round((Date.now() - live.startedAt) / 1000),
  };
}

/** Sets the scrape-time gauges from the stats. */
export function setGauges(m: RelayMetrics, stats: RelayStats): void {
  m.streamLength.set(stats.streamLength);
  m.streamPending.set(stats.pending);
  m.streamLag.set(stats.lag ?? Number.NaN);
  m.deadLetters.set(stats.deadLetters);
  for (const [channel, n] of Object.entries(stats.subscribers)) m.subscribers.set({ channel }, n);
  m.inFlight.set(stats.inFlight);
  m.lanes.set(stats.lanes);
}
