// Part of `npm run bench:raid`: a server lockdown of CHANNELS channels and its unlock, through the
// Worker in workerd, with the Discord stand-in's rate limits on. Prints the time to the command's
// reply, to the last channel locked (the command's invocation, then scheduled ticks for what it
// could not finish), the Discord calls by route, and the same for /unlock server.
// Run alone with `node scripts/bench/raid-lockdown.ts`.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { createNodeDatabase } from '../../db/node.ts';
import { lockdowns } from '../../db/schema.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import { randomSnowflake } from '../../dev/interactions.ts';
import { startLocalStack } from '../../dev/local-stack.ts';
import { LOCK_BITS } from '../../functions/lockdown/overwrites.ts';
import { startBenchWorker } from './bench-worker.ts';

const CHANNELS = Number(process.env.BENCH_LOCK_CHANNELS ?? 500);
const MAX_TICKS = 10;
const P = PermissionFlagsBits;

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const stack = await startLocalStack({
  databaseUrl,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  applicationId: '1100000000000000001',
  botToken: 'bench-bot-token',
  upstashToken: 'bench-upstash-token',
  discordRateLimits: true,
});
const db = createNodeDatabase(databaseUrl, 2);
const controlUrl = stack.discord?.controlUrl as string;

const guildId = randomSnowflake();
const moderatorId = randomSnowflake();
const modRole = randomSnowflake();
const botRole = randomSnowflake();
const moderatorPermissions = P.ManageChannels | P.ManageRoles | P.ManageGuild;
const botPermissions = moderatorPermissions | P.ViewChannel | LOCK_BITS;
const channelIds = Array.from({ length: CHANNELS }, () => randomSnowflake());
const seeded = await fetch(`${controlUrl}/guilds/${guildId}`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'Raid bench',
    ownerId: randomSnowflake(),
    roles: [
      { id: guildId, name: '@everyone', position: 0, permissions: String(P.ViewChannel | P.SendMessages) },
      { id: modRole, name: 'Mods', position: 5, permissions: String(moderatorPermissions) },
      { id: botRole, name: 'Lockdown', position: 9, permissions: String(botPermissions) },
    ],
    members: [{ user: { id: moderatorId, username: 'mod' }, roles: [modRole] }],
    channels: channelIds.map((id, i) => ({ id, name: `channel-${i}`, type: 0, permission_overwrites: [] })),
    botRoleIds: [botRole],
  }),
});
if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);

const requests = async (): Promise<RecordedRequest[]> =>
  (await fetch(`${controlUrl}/requests?contains=${guildId}`)).json() as Promise<RecordedRequest[]>;
const channelRequests = async () => {
  const all = (await (
    await fetch(`${controlUrl}/requests?contains=/permissions/${guildId}`)
  ).json()) as RecordedRequest[];
  return all.length;
};
const byRoute = (list: RecordedRequest[]) => {
  const counts = new Map<string, number>();
  for (const r of list) {
    const route = `${r.method} ${r.path.replace(/\d{15,20}/g, '{id}').replace(/\/webhooks\/\{id\}\/[^/]+/, '/webhooks/{id}/{token}')}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].map(([route, n]) => `${route} ×${n}`).join(', ');
};

const worker = await startBenchWorker(
  'lockdown-bench-raid',
  { ...stack.bindings, SCHEDULER_GUILD_IDS: guildId },
  stack.signingKeyPkcs8 as string,
);

async function runUntil(
  state: 'locked' | 'unlocked',
  started: number,
): Promise<{ seconds: number; ticks: number }> {
  let ticks = 0;
  for (;;) {
    const [row] = await db.select().from(lockdowns).where(eq(lockdowns.guildId, guildId));
    if (row?.state === state) return { seconds: (performance.now() - started) / 1000, ticks };
    const claimed = row?.workClaimedUntil && row.workClaimedUntil.getTime() > Date.now();
    if (!claimed) {
      if (ticks >= MAX_TICKS) throw new Error(`not ${state} after ${MAX_TICKS} ticks`);
      ticks += 1;
      await worker.tick(Date.now());
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const command = (sub: 'lockdown' | 'unlock') =>
  worker.command({
    applicationId: stack.bindings.DISCORD_APPLICATION_ID,
    guildId,
    channelId: channelIds[0] as string,
    name: sub,
    options: [{ name: 'server', type: 1, options: [{ name: 'reason', type: 3, value: 'bench' }] }],
    invoker: { id: moderatorId, username: 'mod', roles: [modRole], permissions: moderatorPermissions },
    appPermissions: botPermissions,
  });

try {
  for (const sub of ['lockdown', 'unlock'] as const) {
    const before = (await requests()).length;
    const started = performance.now();
    const { reply, ms } = await command(sub);
    const content = (reply as { data?: { content?: string } }).data?.content ?? JSON.stringify(reply);
    const done = await runUntil(sub === 'lockdown' ? 'locked' : 'unlocked', started);
    const sent = (await requests()).slice(before);
    console.log(
      `/${sub} server, ${CHANNELS} channels (Discord's rate limits on): reply in ${ms.toFixed(0)} ms ("${content.slice(0, 60)}…"), ` +
        `all channels done in ${done.seconds.toFixed(1)} s (${done.ticks} scheduled tick${done.ticks === 1 ? '' : 's'} after the command's own invocation); ` +
        `${sent.length} Discord calls: ${byRoute(sent)}`,
    );
  }
  console.log(`overwrite changes in total: ${await channelRequests()}`);
} finally {
  await worker.dispose();
  await db.$client.end();
  await stack.close();
}
