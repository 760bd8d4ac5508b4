// What a Relay is built from: its clients, and the tunables worker/config.ts reads from the
// environment (RELAY_*), with the defaults the relay applies when one is left out.
import type { Redis } from 'ioredis';
import type { NodeDatabase } from '../db/node.ts';
import type { WebhookClient } from './discord/webhook-client.ts';
import type { Logger } from './observability/log.ts';
import type { AckHooks } from './stream/acker.ts';

export type RelayHooks = AckHooks;

export interface RelayOptions {
  /** Command connection (XACK, XPENDING, XAUTOCLAIM…); the relay duplicates it for its blocking reads. */
  redis: Redis;
  db: NodeDatabase;
  discord: WebhookClient;
  streamKey?: string;
  group?: string;
  /** Unique per running relay; a restarted relay with the same name re-reads its pending entries. */
  consumer?: string;
  /** XREADGROUP BLOCK milliseconds. */
  blockMs?: number;
  /** Entries idle this long at another consumer are claimed (that relay is presumed dead). */
  claimIdleMs?: number;
  /** Heartbeat refresh interval, its TTL, and how often relays whose heartbeat is gone are looked for. */
  heartbeatMs?: number;
  heartbeatTtlMs?: number;
  sweepMs?: number;
  /** First retry delay for 5xx and network errors (doubles, with jitter, up to retryMaxMs). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts before an event goes to the dead-letter store as retries_exhausted. */
  maxAttempts?: number;
  /** Entries per XREADGROUP. */
  readCount?: number;
  /** Entries held in memory (read, not yet acked) before reading pauses. */
  maxInFlight?: number;
  /** Pack queued events into messages of up to 10 embeds (false: one event per message). */
  batching?: boolean;
  /** The shortest run of same-kind case events (one moderator, one reason) folded into a digest; 0 turns
   * digests off (a batch's events, `batchId`, are folded from two on). Default 5. */
  digestMinRun?: number;
  /** How long a guild's webhook stays cached without a mod-log event refreshing it. */
  configTtlMs?: number;
  /** How long stop() lets in-flight sends finish. */
  shutdownTimeoutMs?: number;
  /** How long a lane waits for a guild's missing event number before reading it from the outbox. */
  orderWaitMs?: number;
  /** First wait when an older entry of the guild is held by another relay. */
  orderPollMs?: number;
  /** How often the Redis and SQL figures of stats() (and so /stats, /metrics) are read anew. */
  statsRefreshMs?: number;
  /** Interval of the keep-alive PING on the command connection (hosted Redis drops idle clients). */
  keepAliveMs?: number;
  logger?: Logger;
  hooks?: RelayHooks;
}
