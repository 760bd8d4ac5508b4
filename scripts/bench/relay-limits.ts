// Section 2 of `npm run bench:relay`: under Discord's real webhook limits the relay's speed no longer
// matters, only how many events it fits per message, so this is where batching earns its keep. The
// unbatched baseline would take over half an hour, so it is cut off and the rest projected.
import {
  type BenchContext,
  fmt,
  type Guild,
  makeGuilds,
  RUN_TIMEOUT_MS,
  run,
  startStandIn,
  warning,
} from './relay-harness.ts';

/** 2. Discord's webhook limits: one guild, one burst, per mode. */
export async function webhookLimits(ctx: BenchContext) {
  const { drain: DRAIN, baselineCapMs: BASELINE_CAP_MS } = ctx.options;
  const discord = await startStandIn(ctx, true);
  try {
    console.log(
      `\n2. stand-in with Discord's webhook limits (5 per 2 s per webhook, 30 per minute per channel), one guild`,
    );
    for (const mode of ctx.modes) {
      const [guild] = await makeGuilds(ctx, discord, 1);
      const result = await run(ctx, {
        discord,
        batching: mode.batching,
        events: Array.from({ length: DRAIN }, (_, i) => warning(guild as Guild, i + 1)),
        capMs: mode.batching ? RUN_TIMEOUT_MS : BASELINE_CAP_MS,
      });
      if (result.finished) {
        console.log(
          `   ${mode.name}: ${DRAIN}-event burst drained in ${fmt(result.elapsedMs / 1000, 1)} s (${result.messages} messages)`,
        );
      } else {
        // The rest at the rate of the last minute, which spans a whole window of the channel limit.
        const projected =
          result.elapsedMs + ((DRAIN - result.delivered) / Math.max(0.001, result.lastMinuteRate)) * 1000;
        console.log(
          `   ${mode.name}: ${result.delivered} of ${DRAIN} posted after ${fmt(result.elapsedMs / 1000, 1)} s (stopped there; ${fmt(result.lastMinuteRate * 60, 0)} per minute over the last minute); projected drain ≈ ${fmt(projected / 60_000, 1)} min`,
        );
      }
    }
  } finally {
    await discord.close();
  }
}
