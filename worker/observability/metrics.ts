// The relay's Prometheus series, through prom-client: its own counters and latency histogram, the
// stream and pub/sub gauges (set from Redis at scrape time, see relay-stats.ts) and prom-client's
// default process metrics (CPU, memory, event-loop lag, GC). Each relay has its own registry, so
// several relays in one process (tests, the bench) count apart.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

type LabelValues<L extends string> = Partial<Record<L, string>>;

/** A counter whose current values the relay also reads (for `/stats` and tests). */
export class RelayCounter<L extends string = string> extends Counter<L> {
  /** One series, or the sum of the series matching `labels` (all of them when none are given). */
  async value(labels: LabelValues<L> = {}): Promise<number> {
    const { values } = await this.get();
    const wanted = Object.entries(labels) as [string, string][];
    return values
      .filter((v) => wanted.every(([k, want]) => String(v.labels[k as L]) === want))
      .reduce((sum, v) => sum + v.value, 0);
  }

  /** Every series summed by one label's value. */
  async byLabel(label: L): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { labels, value } of (await this.get()).values) {
      const key = String(labels[label] ?? '');
      out[key] = (out[key] ?? 0) + value;
    }
    return out;
  }
}

export function createRelayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new RelayCounter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    events: counter(
      'lockdown_relay_events_total',
      'Events handled, by outcome: delivered, duplicate (already posted), skipped (guild has no mod-log), parked, dead_lettered.',
      ['outcome'],
    ),
    unknownEvents: counter(
      'lockdown_relay_unknown_events_total',
      'Well-formed events of a type this relay does not know (a newer edge): acked unposted, by type (the first 20 types seen; then "other").',
      ['event_type'],
    ),
    deadLettered: counter(
      'lockdown_relay_dead_lettered_total',
      'Events put in the dead-letter store, by reason.',
      ['reason'],
    ),
    messages: counter(
      'lockdown_relay_messages_total',
      'Webhook messages posted (a message carries up to 10 events).',
    ),
    requests: counter(
      'lockdown_relay_discord_requests_total',
      'Discord HTTP attempts, by route and status.',
      ['route', 'status'],
    ),
    failures: counter(
      'lockdown_relay_discord_failures_total',
      'Discord attempts that failed (5xx, network error, timeout, 4xx other than 429), by route.',
      ['route'],
    ),
    rateLimited: counter('lockdown_relay_rate_limited_total', '429 answers from Discord, by route.', [
      'route',
    ]),
    waits: counter(
      'lockdown_relay_rate_limit_waits_total',
      'Requests held back by the rate limiter, by reason.',
      ['reason'],
    ),
    edits: counter(
      'lockdown_relay_case_edits_total',
      'Case messages edited, one per message: after a reason edit (trigger "reason"), a deletion ("deleted"), a duration change ("duration"), or after a posted case ended earlier ones (trigger "ended"), by result.',
      ['trigger', 'result'],
    ),
    sequenceWaits: counter(
      'lockdown_relay_sequence_waits_total',
      "Times a guild's lane waited for a missing event number (publish failed while later ones went through).",
    ),
    sequenceFetched: counter(
      'lockdown_relay_sequence_fetched_total',
      'Late events the relay read from the outbox and posted before later ones.',
    ),
    sequenceGaps: counter(
      'lockdown_relay_sequence_gaps_total',
      'Event numbers missing even from the outbox after the wait: passed over.',
    ),
    orderWaits: counter(
      'lockdown_relay_order_waits_total',
      "Times a guild's lane waited for an older entry held by another relay.",
    ),
    unverifiedResends: counter(
      'lockdown_relay_unverified_resends_total',
      'Sends whose earlier outcome was unknown, posted without checking the channel (it could not be read).',
    ),
    confirmedPosts: counter(
      'lockdown_relay_confirmed_posts_total',
      'Sends whose earlier outcome was unknown, found already in the channel (recorded, not posted again).',
    ),
    takeovers: counter(
      'lockdown_relay_takeovers_total',
      'Times this relay took the pending entries of a relay whose heartbeat was gone.',
    ),
    entriesLost: counter(
      'lockdown_relay_entries_lost_total',
      "Held entries another relay took over (this relay's heartbeat had lapsed): dropped unsent here.",
    ),
    errors: counter(
      'lockdown_relay_errors_total',
      'Unexpected errors (Redis or Postgres unavailable…), by where.',
      ['where'],
    ),
    latency: new Histogram({
      name: 'lockdown_relay_delivery_latency_seconds',
      help: 'From XADD (the stream entry id) to Discord accepting the message.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    streamLength: gauge('lockdown_relay_stream_length', 'Entries in the event stream (XLEN).'),
    streamPending: gauge(
      'lockdown_relay_stream_pending',
      "Entries delivered to the group's consumers and not acked.",
    ),
    streamLag: gauge('lockdown_relay_stream_lag', 'Entries not yet delivered to any consumer of the group.'),
    deadLetters: gauge('lockdown_relay_dead_letters', 'Dead letters waiting to be replayed (all guilds).'),
    subscribers: gauge(
      'lockdown_relay_pubsub_subscribers',
      'Subscribers per pub/sub channel (PUBSUB NUMSUB).',
      ['channel'],
    ),
    inFlight: gauge('lockdown_relay_in_flight', 'Entries read and not yet acked by this relay.'),
    lanes: gauge('lockdown_relay_lanes', 'Guilds with events in progress.'),
  };
}

export type RelayMetrics = ReturnType<typeof createRelayMetrics>;
