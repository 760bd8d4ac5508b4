// Section 3 of `npm run bench:relay`: durability only counts if a dead relay's work is picked up fast
// and without double posts. A real relay process is SIGKILLed mid-burst and a second one, found by the
// heartbeat sweep rather than the 60 s idle claim, must finish within 10 s with no duplicates.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { modlogDeliveries } from '../../db/schema.ts';
import * as harness from './relay-harness.ts';

/** 3. Takeover after a SIGKILL: `count` events for one guild. */
export async function takeover(ctx: harness.BenchContext, count: number) {
  const TAKEOVER = count;
  const { db, redis } = ctx;
  const discord = await harness.startStandIn(ctx, false);
  const streamKey = `bench:relay:${randomUUID()}`;
  try {
    console.log(`\n3. takeover: a relay process SIGKILLed mid-burst (${TAKEOVER} events, one guild)`);
    const [guild] = (await harness.makeGuilds(ctx, discord, 1)) as [harness.Guild];
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(`${root}node_modules/.bin/node`, ['worker/main.ts'], {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...process.env,
        REDIS_URL: ctx.redisUrl,
        DATABASE_URL: ctx.databaseUrl,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_BOT_TOKEN: ctx.standIn.botToken,
        PORT: '0',
        RELAY_STREAM_KEY: streamKey,
        RELAY_CONSUMER: `doomed-${randomUUID().slice(0, 8)}`,
        RELAY_MIGRATE: 'false',
        RELAY_BLOCK_MS: '200',
      },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const posted = () => harness.postedTitles(discord, guild.channelId);
    const events = Array.from({ length: TAKEOVER }, (_, i) => harness.warning(guild, i + 1));
    await harness.xaddAll(ctx, streamKey, events);
    // Kill it once it is well into the burst.
    const killAt = Math.floor(TAKEOVER / 4);
    const startedAt = Date.now();
    while ((await posted()).length < killAt && Date.now() - startedAt < 60_000) await harness.sleep(5);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const atKill = (await posted()).length;
    const heir = harness.defaultRelay(ctx, discord, streamKey, 'bench-heir');
    await heir.start();
    // Done when every event has its delivery row (a cheap count, not a read of the channel).
    const recorded = async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(modlogDeliveries)
        .where(eq(modlogDeliveries.guildId, guild.guildId));
      return row?.n ?? 0;
    };
    while ((await recorded()) < TAKEOVER && Date.now() - killedAt < 120_000) await harness.sleep(10);
    const doneMs = Date.now() - killedAt;
    const titles = await posted();
    const firstByHeir = await heir.metrics.messages.value();
    await heir.stop();
    console.log(
      `   killed after ${atKill} of ${TAKEOVER} posted; the rest delivered by the second relay ${harness.fmt(doneMs / 1000, 1)} s after the kill (goal ≤ 10 s); ${titles.length - new Set(titles).size} duplicates; ${firstByHeir} messages from the second relay, ${await heir.metrics.confirmedPosts.value()} events found already posted`,
    );
  } finally {
    await redis.del(streamKey);
    await discord.close();
  }
}
