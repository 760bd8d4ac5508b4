// How the benches time the Worker and print what they found: percentiles of sorted round trips,
// milliseconds as printed, and one line per request shape — after a warm-up, N requests one at a
// time and N more `concurrency` at a time, p50 / p99 of each, next to what the last reply said.
import { randomSnowflake } from '../../dev/interactions.ts';
import type { BenchWorker } from './bench-worker.ts';

/** The value at percentile `p` of ascending `sorted` (the lower of two neighbours); NaN when empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number)
    : Number.NaN;

/** The median of values in any order. */
export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** A PING as Discord sends it: answered after the signature check alone (the floor of a round trip). */
export const pingPayload = (applicationId: string) => ({
  type: 1,
  id: randomSnowflake(),
  application_id: applicationId,
});

export interface RoundTrips {
  /** How many requests a line sends each way, after how many warm-up requests. */
  warmup: number;
  requests: number;
  concurrency: number;
  /** Width the labels are padded to, so the figures line up. */
  labelWidth: number;
}

/**
 * Times `payload()` through the Worker one at a time, then `concurrency` at a time, and prints one
 * line: the label, p50 / p99 of each, and `describe` of the last reply of the one-at-a-time run.
 */
export async function measureRoundTrips<Reply>(
  worker: BenchWorker,
  shape: RoundTrips,
  label: string,
  payload: () => object,
  describe: (reply: Reply) => string,
): Promise<void> {
  for (let i = 0; i < shape.warmup; i += 1) await worker.send(payload());
  const one: number[] = [];
  let last: Reply | undefined;
  for (let i = 0; i < shape.requests; i += 1) {
    const { reply, ms: took } = await worker.send(payload());
    one.push(took);
    last = reply as Reply;
  }
  one.sort((a, b) => a - b);
  const many: number[] = [];
  for (let i = 0; i < shape.requests / shape.concurrency; i += 1) {
    const batch = await Promise.all(Array.from({ length: shape.concurrency }, () => worker.send(payload())));
    for (const { ms: took } of batch) many.push(took);
  }
  many.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(shape.labelWidth)} one at a time: p50 ${ms(percentile(one, 50))}, p99 ${ms(percentile(one, 99))}; ` +
      `${shape.concurrency} at a time: p50 ${ms(percentile(many, 50))}, p99 ${ms(percentile(many, 99))} — ${describe(last as Reply)}`,
  );
}
