// `npm run bench:edge`: what a moderator waits for. Prints the Worker's bundle size and cold start
// against a bare Hono + signature-check Worker (scripts/bench/cold-start.ts), the cost of the Ed25519
// signature check and the latency of a full signed /ban (verify → permission and hierarchy checks → intent → DM →
// Discord ban → case + outbox in one transaction → reply; publishing runs after the reply) through
// the Worker running in workerd (wrangler's unstable_dev), against this machine's Postgres and Redis
// behind the Neon and Upstash stand-ins and the Discord stand-in. Loopback only, bounded in count.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { verifyKey } from 'discord-interactions';
import { unstable_dev } from 'wrangler';
import {
  buildCommandInteraction,
  importSigningKey,
  randomSnowflake,
  signatureHeaders,
} from '../dev/interactions.ts';
import { startLocalStack } from '../dev/local-stack.ts';
import { buildBundle, measureColdStarts, removeBundle } from './bench/cold-start.ts';
import { median, ms, percentile, pingPayload } from './bench/measure.ts';

const SIGNATURE_ITERATIONS = 2_000;
const WARMUP = 20;
const SEQUENTIAL = 300;
const CONCURRENT = 300;
const CONCURRENCY = 8;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 15);

const stack = await startLocalStack({
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  applicationId: '1100000000000000001',
  botToken: 'bench-bot-token',
  upstashToken: 'bench-upstash-token',
  discordRateLimits: false,
});
const key = await importSigningKey(stack.signingKeyPkcs8 as string);

// 0. Bundle size and cold start: a fresh workerd per run, timed until a signed PING is answered.
{
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  const ping = async () => {
    const body = JSON.stringify(pingPayload(randomSnowflake()));
    return { body, headers: await signatureHeaders(key, body) };
  };
  const bundles = [
    buildBundle('lockdown (as deployed)'),
    buildBundle('lockdown unminified', { minify: false }),
    buildBundle('bare Hono + verifyKey', { entry: 'scripts/bench/bare-worker.ts' }),
  ];
  try {
    const results = await measureColdStarts(bundles, {
      runs: COLD_STARTS,
      bindings: { ...stack.bindings },
      ping,
    });
    for (const [bundle, cold] of results) {
      console.log(
        `cold start, ${bundle.name} (${kib(bundle.bytes)}, ${kib(bundle.gzipBytes)} gzipped), median of ${COLD_STARTS}: ` +
          `workerd ready ${ms(median(cold.startMs))}, first PING ${ms(median(cold.firstMs))}, ` +
          `start to answer ${ms(median(cold.startMs.map((s, i) => s + (cold.firstMs[i] as number))))}, warm PING ${ms(median(cold.warmMs))}`,
      );
    }
  } finally {
    for (const bundle of bundles) removeBundle(bundle);
  }
}

// 1. The signature check alone, as the Worker calls it.
{
  const body = JSON.stringify({ type: 1 });
  const headers = await signatureHeaders(key, body);
  const bytes = new TextEncoder().encode(body);
  for (let i = 0; i < 100; i += 1)
    await verifyKey(
      bytes,
      headers['x-signature-ed25519'],
      headers['x-signature-timestamp'],
      stack.bindings.DISCORD_PUBLIC_KEY,
    );
  const started = performance.now();
  for (let i = 0; i < SIGNATURE_ITERATIONS; i += 1) {
    await verifyKey(
      bytes,
      headers['x-signature-ed25519'],
      headers['x-signature-timestamp'],
      stack.bindings.DISCORD_PUBLIC_KEY,
    );
  }
  const each = (performance.now() - started) / SIGNATURE_ITERATIONS;
  console.log(
    `signature check (discord-interactions verifyKey, Node ${process.version}): ${(each * 1000).toFixed(1)} µs per request over ${SIGNATURE_ITERATIONS}`,
  );
}

// 2. A guild with enough members to ban one per request.
const guildId = randomSnowflake();
const moderatorId = randomSnowflake();
const roles = { member: randomSnowflake(), mod: randomSnowflake(), bot: randomSnowflake() };
const all =
  PermissionFlagsBits.BanMembers | PermissionFlagsBits.KickMembers | PermissionFlagsBits.ModerateMembers;
const targets = Array.from({ length: WARMUP + SEQUENTIAL + CONCURRENT }, () => randomSnowflake());
await fetch(`${stack.discord?.controlUrl}/guilds/${guildId}`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'Bench',
    ownerId: randomSnowflake(),
    roles: [
      { id: roles.member, position: 1, permissions: '0' },
      { id: roles.mod, position: 5, permissions: String(all) },
      { id: roles.bot, position: 9, permissions: String(all) },
    ],
    members: [
      { user: { id: moderatorId, username: 'mod' }, roles: [roles.mod] },
      ...targets.map((id, i) => ({ user: { id, username: `member${i}` }, roles: [roles.member] })),
    ],
    botRoleIds: [roles.bot],
  }),
});

const worker = await unstable_dev('functions/index.ts', {
  config: 'wrangler.toml',
  vars: { ...stack.bindings },
  ip: '127.0.0.1',
  logLevel: 'error',
  experimental: { disableExperimentalWarning: true },
});

async function ban(userId: string): Promise<number> {
  const body = JSON.stringify(
    buildCommandInteraction({
      applicationId: stack.bindings.DISCORD_APPLICATION_ID,
      guildId,
      channelId: randomSnowflake(),
      name: 'ban',
      options: [
        { name: 'user', type: 6, value: userId },
        { name: 'reason', type: 3, value: 'benchmark' },
      ],
      invoker: { id: moderatorId, username: 'mod', roles: [roles.mod], permissions: all },
      appPermissions: all,
      resolve: [{ id: userId, roles: [roles.member] }],
    }),
  );
  const headers = { 'content-type': 'application/json', ...(await signatureHeaders(key, body)) };
  const started = performance.now();
  const response = await worker.fetch('http://127.0.0.1/interactions', { method: 'POST', headers, body });
  const reply = (await response.json()) as { data?: { content?: string } };
  const elapsed = performance.now() - started;
  if (!reply.data?.content?.startsWith('**Banned**'))
    throw new Error(`unexpected reply: ${JSON.stringify(reply)}`);
  return elapsed;
}

try {
  let next = 0;
  for (let i = 0; i < WARMUP; i += 1) await ban(targets[next++] as string);

  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) sequential.push(await ban(targets[next++] as string));
  sequential.sort((a, b) => a - b);
  console.log(
    `signed /ban, one at a time (${SEQUENTIAL}): p50 ${ms(percentile(sequential, 50))}, p99 ${ms(percentile(sequential, 99))}, max ${ms(sequential.at(-1) as number)}`,
  );

  const concurrent: number[] = [];
  const started = performance.now();
  const queue = targets.slice(next);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let target = queue.shift(); target; target = queue.shift()) concurrent.push(await ban(target));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  concurrent.sort((a, b) => a - b);
  console.log(
    `signed /ban, ${CONCURRENCY} at a time (${CONCURRENT}): p50 ${ms(percentile(concurrent, 50))}, p99 ${ms(percentile(concurrent, 99))}, ${(CONCURRENT / seconds).toFixed(0)} bans/s`,
  );
} finally {
  await worker.stop();
  await stack.close();
}
