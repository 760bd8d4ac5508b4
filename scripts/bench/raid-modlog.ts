// `npx tsx scripts/bench/raid-modlog.ts`: a raid's mod-log under Discord's webhook limits (the
// stand-in plays them: 5 requests / 2 s per webhook, 30 messages / minute per channel). One guild,
// 1,000 events each run, written as the edge writes them (outbox rows, then stream entries 100 at a
// time), drained by a relay with the production defaults. Each run prints the webhook messages
// posted, the seconds from the first publish until the channel shows the last case, and whether
// the channel history shows every case exactly once:
//   - a confirmed /massban: 1,000 `ban:created` of one batch (one batchId, consecutive numbers);
//   - 1,000 warnings by one moderator for one reason, no batch (a run of same-kind cases);
//   - 1,000 mixed cases (ban, kick, mute, warning by three moderators, each its own reason), which
//     no digest folds: the shape every burst had before digests;
//   - the massban again with digests off (RELAY_DIGEST_MIN_RUN=0): the before, for comparison.
// Options: --count N (default 1000), --skip-slow (leave out the two runs that take minutes).
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lockdown_bench), BENCH_REDIS_URL.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { migrateDatabase } from '../../db/migrate.ts';
import { createNodeDatabase } from '../../db/node.ts';
import type { DiscordStandIn } from '../../dev/discord/server.ts';
import type { SandboxMessage } from '../../dev/discord/types.ts';
import { writeOutboxRows } from '../../dev/outbox-rows.ts';
import { digestLineCase } from '../../shared/digest-embeds.ts';
import type { CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { createRedis } from '../../worker/clients.ts';
import type { RelayOptions } from '../../worker/relay.ts';
import {
  type BenchContext,
  defaultRelay,
  fmt,
  type Guild,
  makeGuilds,
  sleep,
  snowflake,
  startStandIn,
  xaddAll,
} from './relay-harness.ts';

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    'skip-slow': { type: 'boolean', default: false },
  },
});
const COUNT = Number(opts.count);
if (!Number.isInteger(COUNT) || COUNT <= 0) {
  console.error('raid-modlog: --count must be a positive integer');
  process.exit(2);
}
/** A run that has not shown every case after this long is reported as unfinished. */
const CAP_MS = 10 * 60_000;

type CaseEvent = Extract<LockdownEvent, { eventType: CaseEventType }>;

function caseAt(
  guild: Guild,
  n: number,
  eventType: CaseEventType,
  extra: Partial<CaseEvent['data']>,
): LockdownEvent {
  return {
    eventId: randomUUID(),
    eventType,
    timestamp: new Date().toISOString(),
    sequence: n,
    data: {
      id: randomUUID(),
      caseNumber: n,
      guildId: guild.guildId,
      userId: snowflake(),
      moderatorId: guild.moderatorId,
      reason: null,
      expiresAt: null,
      ...extra,
    },
  } as LockdownEvent;
}

const scenarios: {
  name: string;
  slow: boolean;
  relay?: Partial<RelayOptions>;
  events(g: Guild): LockdownEvent[];
}[] = [
  {
    name: `/massban of ${COUNT} (one batch)`,
    slow: false,
    events: (g) => {
      const batchId = randomUUID();
      const reason = 'Raid: spam accounts that joined in the last 10 minutes';
      return Array.from({ length: COUNT }, (_, i) => caseAt(g, i + 1, 'ban:created', { reason, batchId }));
    },
  },
  {
    name: `${COUNT} warnings, one moderator, one reason (no batch)`,
    slow: false,
    events: (g) =>
      Array.from({ length: COUNT }, (_, i) =>
        caseAt(g, i + 1, 'warning:added', { reason: 'Posting invite links during the raid' }),
      ),
  },
  {
    name: `${COUNT} mixed cases (4 kinds, 3 moderators, own reasons)`,
    slow: true,
    events: (g) => {
      const kinds: CaseEventType[] = ['ban:created', 'kick:executed', 'mute:applied', 'warning:added'];
      const moderators = [g.moderatorId, snowflake(), snowflake()];
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      return Array.from({ length: COUNT }, (_, i) => {
        const type = kinds[i % kinds.length] as CaseEventType;
        return caseAt(g, i + 1, type, {
          moderatorId: moderators[i % moderators.length] as string,
          reason: `Raid clean-up, member ${i + 1}`,
          expiresAt: type === 'mute:applied' ? inAnHour : null,
        });
      });
    },
  },
  {
    name: `/massban of ${COUNT}, digests off (before)`,
    slow: true,
    relay: { digestMinRun: 0 },
    events: (g) => {
      const batchId = randomUUID();
      return Array.from({ length: COUNT }, (_, i) =>
        caseAt(g, i + 1, 'ban:created', { reason: 'Raid', batchId }),
      );
    },
  },
];

/** The case numbers the channel shows, in order (digest lines and single embeds), and its messages. */
async function channelCases(discord: DiscordStandIn, channelId: string) {
  const list = (await (
    await fetch(`${discord.controlUrl}/channels/${channelId}/messages`)
  ).json()) as SandboxMessage[];
  const numbers = list.flatMap((m) =>
    m.embeds.flatMap((e) => {
      const lines = (e.description ?? '').split('\n').map(digestLineCase);
      if (lines.some((n) => n !== null)) return lines.filter((n): n is number => n !== null);
      const single = e.title?.match(/Case #(\d+)$/)?.[1];
      return single ? [Number(single)] : [];
    }),
  );
  return { numbers, messages: list.length };
}

async function runScenario(ctx: BenchContext, scenario: (typeof scenarios)[number]) {
  const discord = await startStandIn(ctx, true);
  const streamKey = `bench:raid:${randomUUID()}`;
  const relay = defaultRelay(ctx, discord, streamKey, 'bench-raid', scenario.relay);
  try {
    const [guild] = await makeGuilds(ctx, discord, 1);
    const events = scenario.events(guild as Guild);
    await relay.start();
    // As the edge: the batch's outbox rows commit first, then the entries go out 100 per MULTI.
    for (let i = 0; i < events.length; i += 500)
      await writeOutboxRows(ctx.db, events.slice(i, i + 500), true);
    const started = Date.now();
    for (let i = 0; i < events.length; i += 100) await xaddAll(ctx, streamKey, events.slice(i, i + 100));
    let seen = new Set<number>();
    let visibleMs = Number.NaN;
    while (Date.now() - started < CAP_MS) {
      seen = new Set((await channelCases(discord, (guild as Guild).channelId)).numbers);
      if (seen.size >= events.length) {
        visibleMs = Date.now() - started;
        break;
      }
      await sleep(seen.size > events.length * 0.9 ? 10 : 50);
    }
    // Let anything still in flight land before judging "exactly once".
    await sleep(1_500);
    const { numbers, messages } = await channelCases(discord, (guild as Guild).channelId);
    const counts = new Map<number, number>();
    for (const n of numbers) counts.set(n, (counts.get(n) ?? 0) + 1);
    const missing = events.filter((e) => !counts.has(e.data.caseNumber as number)).length;
    const doubled = [...counts.values()].filter((c) => c > 1).length;
    const inOrder = numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number));
    const time = Number.isNaN(visibleMs)
      ? `not all visible after ${CAP_MS / 1000} s`
      : `${fmt(visibleMs / 1000, 1)} s`;
    console.log(`   ${scenario.name}`);
    console.log(
      `     ${messages} webhook messages; last case visible ${time} after the first publish; ` +
        `cases once: ${missing === 0 && doubled === 0 ? 'yes' : 'NO'} (${counts.size} shown, ${missing} missing, ${doubled} doubled, ${inOrder ? 'in order' : 'OUT OF ORDER'})`,
    );
  } finally {
    await relay.stop();
    await ctx.redis.del(streamKey);
    await discord.close();
  }
}

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
await migrateDatabase(databaseUrl);
const db = createNodeDatabase(databaseUrl, 20);
const redis = createRedis(redisUrl, 'lockdown-bench-raid');
const ctx: BenchContext = {
  db,
  redis,
  databaseUrl,
  redisUrl,
  standIn: { botToken: 'bench-bot-token', applicationId: '1100000000000000001' },
  // The relay sections' options; this bench reads none of them.
  options: {
    steady: 0,
    rate: 0,
    burst: 0,
    drain: COUNT,
    baselineCapMs: CAP_MS,
    guilds: 1,
    oneGuild: COUNT,
    skipLimits: false,
  },
  modes: [{ name: 'batched (default)', batching: true }],
};
console.log(
  `bench:raid — Node ${process.version}, Redis ${redisUrl}, Postgres ${new URL(databaseUrl).pathname.slice(1)}; ` +
    `stand-in with Discord's webhook limits (5 per 2 s per webhook, 30 per minute per channel), one guild`,
);
try {
  for (const scenario of scenarios)
    if (!scenario.slow || !opts['skip-slow']) await runScenario(ctx, scenario);
} finally {
  redis.disconnect();
  await db.$client.end();
}
