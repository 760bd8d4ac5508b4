// Counters, a histogram and the Prometheus text format (version 0.0.4) for `/metrics`, without a
// client library: the relay needs a dozen series.

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
  /** Appended to the family name (`_bucket`, `_sum`, `_count`). */
  suffix?: string;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
}

const labelKey = (labels: Labels | undefined) =>
  labels ? JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))) : '';

export class Counter {
  readonly name: string;
  readonly help: string;
  readonly #values = new Map<string, { labels: Labels | undefined; value: number }>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    const entry = this.#values.get(key);
    if (entry) entry.value += by;
    else this.#values.set(key, { labels, value: by });
  }

  /** One series, or the sum of all series when no labels are given. */
  value(labels?: Labels): number {
    if (labels) return this.#values.get(labelKey(labels))?.value ?? 0;
    let total = 0;
    for (const entry of this.#values.values()) total += entry.value;
    return total;
  }

  /** Every series by one label's value. */
  byLabel(label: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { labels, value } of this.#values.values()) {
      const key = labels?.[label] ?? '';
      out[key] = (out[key] ?? 0) + value;
    }
    return out;
  }

  family(): MetricFamily {
    const samples = [...this.#values.values()].map(({ labels, value }) => ({ labels, value }));
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      samples: samples.length ? samples : [{ value: 0 }],
    };
  }
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly buckets: number[];
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(name: string, help: string, buckets: number[]) {
    this.name = name;
    this.help = help;
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.#counts = this.buckets.map(() => 0);
  }

  observe(value: number): void {
    this.#sum += value;
    this.#count++;
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] as number)) this.#counts[i]!++;
  }

  get count(): number {
    return this.#count;
  }

  family(): MetricFamily {
    const samples: Sample[] = this.buckets.map((le, i) => ({
      suffix: '_bucket',
      labels: { le: String(le) },
      value: this.#counts[i] as number,
    }));
    samples.push({ suffix: '_bucket', labels: { le: '+Inf' }, value: this.#count });
    samples.push({ suffix: '_sum', value: this.#sum });
    samples.push({ suffix: '_count', value: this.#count });
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** The Prometheus text exposition of these families. */
export function renderPrometheus(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels =
        sample.labels && Object.keys(sample.labels).length
          ? `{${Object.entries(sample.labels)
              .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
              .join(',')}}`
          : '';
      lines.push(`${family.name}${sample.suffix ?? ''}${labels} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

/** The relay's own series (the stream and pub/sub gauges are read from Redis at scrape time). */
export function createRelayMetrics() {
  return {
    events: new Counter(
      'lockdown_relay_events_total',
      'Events handled, by outcome: delivered, duplicate (already posted), skipped (guild has no mod-log), parked, dead_lettered.',
    ),
    deadLettered: new Counter(
      'lockdown_relay_dead_lettered_total',
      'Events put in the dead-letter store, by reason.',
    ),
    messages: new Counter(
      'lockdown_relay_messages_total',
      'Webhook messages posted (a message carries up to 10 events).',
    ),
    requests: new Counter(
      'lockdown_relay_discord_requests_total',
      'Discord HTTP attempts, by route and status.',
    ),
    failures: new Counter(
      'lockdown_relay_discord_failures_total',
      'Discord attempts that failed (5xx, network error, timeout, 4xx other than 429), by route.',
    ),
    rateLimited: new Counter('lockdown_relay_rate_limited_total', '429 answers from Discord, by route.'),
    waits: new Counter(
      'lockdown_relay_rate_limit_waits_total',
      'Requests held back by the rate limiter, by reason.',
    ),
    edits: new Counter(
      'lockdown_relay_case_edits_total',
      'Case messages edited after a reason edit, by result.',
    ),
    orderWaits: new Counter(
      'lockdown_relay_order_waits_total',
      "Times a guild's lane waited for an older entry held by another relay.",
    ),
    errors: new Counter(
      'lockdown_relay_errors_total',
      'Unexpected errors (Redis or Postgres unavailable…), by where.',
    ),
    latency: new Histogram(
      'lockdown_relay_delivery_latency_seconds',
      'From XADD (the stream entry id) to Discord accepting the message.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    ),
  };
}

export type RelayMetrics = ReturnType<typeof createRelayMetrics>;
