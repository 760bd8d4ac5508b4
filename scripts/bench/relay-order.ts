// Section 4 of `npm run bench:relay`: a guild's mod log must read in event order even when one XADD
// fails and the event only sits in the outbox. This shows what that guarantee costs: how long a
// late event holds the guild back (outbox read after the 2 s bound, or a late republish), and what
// the sequence check takes off a one-guild burst when nothing is missing.
import { randomUUID } from 'node:crypto';
import { writeOutboxRows } from '../../dev/outbox-rows.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import {
  type BenchContext,
  defaultRelay,
  eventsPerSecond,
  fmt,
  type Guild,
  makeGuilds,
  postedTitles,
  sleep,
  startStandIn,
  warning,
  xaddAll,
} from './relay-harness.ts';

/** 4. A guild's late event, in order. */
export async function lateEventOrder(ctx: BenchContext) {
  const ONE_GUILD = ctx.options.oneGuild;
  const { db, redis } = ctx;
  const discord = await startStandIn(ctx, false);
  try {
    console.log(`\n4. a guild's late event: 1 in the outbox only (its XADD failed), 2..10 on the stream`);
    const numbered = (guild: Guild, count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...warning(guild, i + 1), sequence: i + 1 }));
    const writeOutbox = (events: LockdownEvent[], published: boolean) =>
      writeOutboxRows(db, events, published);
    const titlesOf = async (channelId: string) =>
      (await postedTitles(discord, channelId)).map((title) => Number(title.split('#')[1]));
    const streamKey = `bench:relay:${randomUUID()}`;
    const relay = defaultRelay(ctx, discord, streamKey, 'bench-order');
    await relay.start();
    const add = async (events: LockdownEvent[]) => {
      await xaddAll(ctx, streamKey, events);
    };
    const until = async (channelId: string, n: number) => {
      const deadline = Date.now() + 30_000;
      let titles = await titlesOf(channelId);
      while (titles.length < n && Date.now() < deadline) {
        await sleep(5);
        titles = await titlesOf(channelId);
      }
      return titles;
    };
    const inOrder = (titles: number[], n: number) =>
      titles.length === n && titles.every((t, i) => t === i + 1)
        ? 'in order, each once'
        : `WRONG: ${titles.join(',')}`;
    // A guild whose 1 is in the outbox only and whose 2..10 are published and XADDed from `started`.
    const lateFirst = async () => {
      const [guild] = (await makeGuilds(ctx, discord, 1)) as [Guild];
      const events = numbered(guild, 10);
      await writeOutbox(events.slice(0, 1), false);
      await writeOutbox(events.slice(1), true);
      const started = Date.now();
      await add(events.slice(1));
      return { guild, events, started };
    };
    // a) 1 never reaches the stream in time: the relay waits RELAY_ORDER_WAIT_MS (2 s), then reads it.
    {
      const { guild, events, started } = await lateFirst();
      const titles = await until(guild.channelId, 10);
      const ms = Date.now() - started;
      await add(events.slice(0, 1)); // the scheduler's republish, ~30 s later in production
      await sleep(500);
      const after = await titlesOf(guild.channelId);
      console.log(
        `   read from the outbox: all 10 posted ${inOrder(titles, 10)}, ${fmt(ms)} ms after 2..10 were XADDed (wait bound 2,000 ms); the republish of 1 then posted ${after.length - titles.length} more`,
      );
    }
    // b) 1 is republished 300 ms late: taken from the stream as soon as it arrives.
    {
      const { guild, events, started } = await lateFirst();
      await sleep(300);
      await add(events.slice(0, 1));
      const titles = await until(guild.channelId, 10);
      console.log(
        `   republished 300 ms late: all 10 posted ${inOrder(titles, 10)}, ${fmt(Date.now() - started)} ms after 2..10 were XADDed`,
      );
    }
    // c) the sequence check's cost: a one-guild burst of numbered events (no gap).
    {
      const [guild] = (await makeGuilds(ctx, discord, 1)) as [Guild];
      const events = numbered(guild, ONE_GUILD);
      await writeOutbox(events, true);
      const before = await relay.metrics.events.value({ outcome: 'delivered' });
      const started = Date.now();
      for (let i = 0; i < events.length; i += 1000) await add(events.slice(i, i + 1000));
      while ((await relay.metrics.events.value({ outcome: 'delivered' })) - before < ONE_GUILD)
        await sleep(5);
      const ms = Date.now() - started;
      console.log(
        `   a ${ONE_GUILD}-event burst of numbered events, one guild: ${eventsPerSecond(ONE_GUILD, ms)} events/s`,
      );
    }
    console.log(
      `   (lockdown_relay_sequence_waits_total ${await relay.metrics.sequenceWaits.value()}, _fetched_total ${await relay.metrics.sequenceFetched.value()}, _gaps_total ${await relay.metrics.sequenceGaps.value()})`,
    );
    await relay.stop();
    await redis.del(streamKey);
  } finally {
    await discord.close();
  }
}
