// The Worker's side of the Redis layout (docs/ARCHITECTURE.md "Redis layout"), over Upstash's REST
// client: append events (per event XADD to the relay's stream and PUBLISH on its channel, all in one
// MULTI so no listener sees one without the other), trim the stream by age, and a ping for /health.
import type { Redis } from '@upstash/redis/cloudflare';
import {
  EVENT_STREAM_FIELD,
  EVENT_STREAM_KEY,
  encodeEvent,
  type LockdownEvent,
} from '../../shared/events.ts';

export interface EventStream {
  /** One request (a MULTI), however many events. */
  append(events: readonly LockdownEvent[]): Promise<void>;
  /** XTRIM MINID ~ `minId`: removes entries older than it; returns how many. One request. */
  trim(minId: string): Promise<number>;
  ping(): Promise<unknown>;
}

/**
 * `onCommand` is told of each command sent. Upstash's client may retry a failed request by itself
 * without saying so, so the caller counts a command as one request plus the retries it allows.
 */
export function createEventStream(redis: () => Redis, onCommand: () => void = () => {}): EventStream {
  return {
    async append(events) {
      onCommand();
      const transaction = redis().multi();
      for (const event of events) {
        const json = encodeEvent(event);
        transaction.xadd(EVENT_STREAM_KEY, '*', { [EVENT_STREAM_FIELD]: json });
        transaction.publish(event.eventType, json);
      }
      await transaction.exec();
    },
    trim(minId) {
      onCommand();
      return redis().xtrim(EVENT_STREAM_KEY, { strategy: 'MINID', exactness: '~', threshold: minId });
    },
    ping() {
      onCommand();
      return redis().ping();
    },
  };
}
