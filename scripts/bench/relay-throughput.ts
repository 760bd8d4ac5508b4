// Sections 0 and 1 of `npm run bench:relay`: what the relay sustains when Discord is not the limit,
// so the figures are the relay's own cost. One guild's burst is set against the naive poster (what
// the stand-in and this machine allow at all); 50 guilds show steady-load latency and burst rate.
import { randomUUID } from 'node:crypto';
import type { DiscordStandIn } from '../../dev/discord/server.ts';
import { eventEmbed } from '../../shared/embeds.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import {
  type BenchContext,
  eventsPerSecond,
  fmt,
  type Guild,
  latencyLine,
  makeGuilds,
  run,
  startStandIn,
  warning,
  xaddAll,
} from './relay-harness.ts';

/**
 * The yardstick: XREAD (no group) and post every event as its own webhook message the moment it is
 * read, all concurrently; no order, dedupe, record or ack. Returns when all are posted.
 */
async function naiveRun(ctx: BenchContext, discord: DiscordStandIn, guild: Guild, events: LockdownEvent[]) {
  const streamKey = `bench:naive:${randomUUID()}`;
  const reader = ctx.redis.duplicate({ connectionName: 'lockdown-bench-naive' });
  const url = `${discord.apiBase}/webhooks/${guild.webhook.id}/${guild.webhook.token}?wait=true`;
  let posted = 0;
  let failed = 0;
  const sends: Promise<void>[] = [];
  const started = Date.now();
  const reading = (async () => {
    let last = '0-0';
    while (sends.length < events.length) {
      const reply = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', streamKey, last);
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const event = JSON.parse(fields[1] as string) as LockdownEvent;
          const body = JSON.stringify({ embeds: [eventEmbed(event)], allowed_mentions: { parse: [] } });
          sends.push(
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
              async (r) => {
                await r.arrayBuffer();
                if (r.ok) posted++;
                else failed++;
              },
              () => {
                failed++;
              },
            ),
          );
        }
      }
    }
  })();
  for (let i = 0; i < events.length; i += 1000) await xaddAll(ctx, streamKey, events.slice(i, i + 1000));
  await reading;
  await Promise.all(sends);
  const elapsedMs = Date.now() - started;
  reader.disconnect();
  await ctx.redis.del(streamKey);
  return { posted, failed, elapsedMs };
}

/** 0. One guild, one burst: the durable relay against the naive poster. */
export async function oneGuildBurst(ctx: BenchContext) {
  const ONE_GUILD = ctx.options.oneGuild;
  const discord = await startStandIn(ctx, false);
  try {
    console.log(`\n0. stand-in without rate limits, one guild, a ${ONE_GUILD}-event burst`);
    const [warm] = await makeGuilds(ctx, discord, 1);
    await run(ctx, {
      discord,
      batching: true,
      events: Array.from({ length: 300 }, (_, i) => warning(warm as Guild, i)),
    });
    await naiveRun(
      ctx,
      discord,
      warm as Guild,
      Array.from({ length: 300 }, (_, i) => warning(warm as Guild, i)),
    );
    const [guild] = (await makeGuilds(ctx, discord, 1)) as [Guild];
    const durable = await run(ctx, {
      discord,
      batching: true,
      events: Array.from({ length: ONE_GUILD }, (_, i) => warning(guild, i + 1)),
    });
    console.log(
      `   durable relay (ordered, batched, deduplicated, acked): ${eventsPerSecond(durable.delivered, durable.elapsedMs)} events/s (${durable.delivered} in ${fmt(durable.elapsedMs)} ms, ${durable.messages} messages, ${fmt(durable.elapsedMs / Math.max(1, durable.messages), 1)} ms per message)`,
    );
    const [other] = (await makeGuilds(ctx, discord, 1)) as [Guild];
    const naive = await naiveRun(
      ctx,
      discord,
      other,
      Array.from({ length: ONE_GUILD }, (_, i) => warning(other, i + 1)),
    );
    console.log(
      `   naive poster (one message per event, all at once, no durability): ${eventsPerSecond(naive.posted, naive.elapsedMs)} events/s (${naive.posted} in ${fmt(naive.elapsedMs)} ms${naive.failed ? `, ${naive.failed} failed` : ''})`,
    );
  } finally {
    await discord.close();
  }
}

/** 1. No rate limits, many guilds: steady-load latency and burst throughput, per mode. */
export async function manyGuilds(ctx: BenchContext) {
  const { steady: STEADY, rate: RATE, burst: BURST, guilds: GUILDS } = ctx.options;
  const discord = await startStandIn(ctx, false);
  try {
    console.log(`\n1. stand-in without rate limits, ${GUILDS} guilds`);
    // Warm-up (not reported): JIT, connection pools, the stand-in.
    for (const mode of ctx.modes) {
      const warm = await makeGuilds(ctx, discord, 10);
      await run(ctx, {
        discord,
        batching: mode.batching,
        events: Array.from({ length: 500 }, (_, i) => warning(warm[i % 10] as Guild, i + 1)),
      });
    }
    for (const mode of ctx.modes) {
      const steadyGuilds = await makeGuilds(ctx, discord, GUILDS);
      const steady = await run(ctx, {
        discord,
        batching: mode.batching,
        rate: RATE,
        events: Array.from({ length: STEADY }, (_, i) => warning(steadyGuilds[i % GUILDS] as Guild, i + 1)),
      });
      const burstGuilds = await makeGuilds(ctx, discord, GUILDS);
      const burst = await run(ctx, {
        discord,
        batching: mode.batching,
        events: Array.from({ length: BURST }, (_, i) => warning(burstGuilds[i % GUILDS] as Guild, i + 1)),
      });
      console.log(`   ${mode.name}`);
      console.log(
        `     steady ${STEADY} events at ${RATE}/s: latency XADD→webhook request ${latencyLine(steady)} (${steady.messages} messages)`,
      );
      console.log(
        `     burst ${BURST} events: ${fmt(burst.delivered / (burst.elapsedMs / 1000))} events/s (${burst.delivered} in ${fmt(burst.elapsedMs)} ms, ${burst.messages} messages); latency ${latencyLine(burst)}`,
      );
    }
  } finally {
    await discord.close();
  }
}
