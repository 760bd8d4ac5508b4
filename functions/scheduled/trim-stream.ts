// Scheduled step: trims the relay's stream by age (XTRIM MINID), so it does not grow forever.
import type { EventStream } from '../events/event-stream.ts';

/**
 * How long stream entries are kept. Never below the relay's longest retry window: an entry the relay
 * has read but not yet delivered (Discord or the webhook down, retried with backoff, then
 * dead-lettered) must still be in the stream when the relay comes back to it. The relay's own
 * retries of an entry (RELAY_MAX_ATTEMPTS from RELAY_RETRY_BASE_MS, doubling) add up to minutes
 * before it dead-letters; 7 days covers those many times over, and a relay that was down over a long
 * weekend and catches up from its consumer group's position. The outbox in Postgres keeps every
 * event regardless.
 */
export const STREAM_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * Stream entry ids start with the Redis server's clock in milliseconds. The cutoff is taken from the
 * real clock, never later than the tick's scheduled time: a tick replayed with a scheduled time in
 * the future (tests) must not trim entries younger than the retention by the real clock.
 */
export function trimThreshold(scheduledTime: Date, realNow: number): string {
  const now = Math.min(scheduledTime.getTime(), realNow);
  return `${Math.max(0, now - STREAM_RETENTION_MS)}-0`;
}

/**
 * XTRIM lockdown:events MINID ~ <threshold>: with `~` Redis removes only whole internal nodes, so it
 * may keep a few older entries a little longer but never removes a younger one. Returns the count removed.
 */
export function trimStream(stream: EventStream, scheduledTime: Date, realNow: number): Promise<number> {
  return stream.trim(trimThreshold(scheduledTime, realNow));
}
