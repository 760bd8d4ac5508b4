// Part of `npm run bench:raid`: a server lockdown of CHANNELS channels and its unlock, through the
// Worker in workerd, with the Discord stand-in's rate limits on. Prints the time to the command's
// reply, to the last channel locked (the command's invocation, then scheduled ticks for what it
// could not finish), the Discord calls by route, and the same for /unlock server.
// Run alone with `node scripts/bench/raid-lockdown.ts`.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { lockdowns } from '../../db/schema.ts';
import { randomSnowflake } from '../../dev/interactions.ts';
import { LOCK_BITS } from '../../functions/lockdown/overwrites.ts';
import { countByRoute, startBenchStack, startBenchWorker } from './bench-worker.ts';

const CHANNELS = Number(process.env.BENCH_LOCK_CHANNELS ?? 500);
const MAX_TICKS = 10;
const P = PermissionFlagsBits;

const bench = await startBenchStack({ discordRateLimits: true });
const { stack, db, controlUrl } = bench;

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

const requests = () => bench.requests(guildId);
const channelRequests = async () => (await bench.requests(`/permissions/${guildId}`)).length;
const byRoute = countByRoute;

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
  await bench.close();
}
