// Part of `npm run bench:raid`: a /massban of USERS users (Discord knows them, none in the server),
// previewed and confirmed through the Worker in workerd, with the Discord stand-in's rate limits on
// (bulk-ban: 1 call per second per guild; webhooks: 5 per 2 s, 30 messages a minute per channel),
// and a relay (production defaults, in this process) posting the Worker's events to the guild's
// mod-log webhook. Prints the time to the preview, from the click to the last case recorded (the
// click's own invocation, then scheduled ticks for what it could not finish) and to the last case
// visible in the mod-log channel at the stand-in (the target: ≤ 15 s), the webhook
// messages posted (target: ≤ 10) and whether they show every case once, the bulk-ban calls, the
// cases (consecutive, one batch id) and the Discord calls by route.
// Run alone with `node scripts/bench/raid-massban.ts`.
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { createNodeDatabase } from '../../db/node.ts';
import { cases, guilds, massbans } from '../../db/schema.ts';
import type { DiscordStandIn } from '../../dev/discord/server.ts';
import type { RecordedRequest, SandboxMessage } from '../../dev/discord/types.ts';
import {
  buildCommandInteraction,
  buildComponentInteraction,
  randomSnowflake,
} from '../../dev/interactions.ts';
import { digestLineCase } from '../../shared/digest-embeds.ts';
import { EVENT_STREAM_KEY } from '../../shared/events.ts';
import { createRedis } from '../../worker/clients.ts';
import { RateLimiter } from '../../worker/discord/rate-limits.ts';
import { WebhookClient } from '../../worker/discord/webhook-client.ts';
import { Relay } from '../../worker/relay.ts';
import { countByRoute, startBenchStack, startBenchWorker } from './bench-worker.ts';

const USERS = Number(process.env.BENCH_MASSBAN_USERS ?? 1000);
const MAX_TICKS = 10;
/** The mod-log is given up on after this long (the target is 15 s). */
const MODLOG_CAP_MS = 5 * 60_000;
const P = PermissionFlagsBits;

const bench = await startBenchStack({ discordRateLimits: true });
const { stack, db, controlUrl } = bench;
const applicationId = stack.bindings.DISCORD_APPLICATION_ID;

const guildId = randomSnowflake();
const moderatorId = randomSnowflake();
const channelId = randomSnowflake();
const modlogChannelId = randomSnowflake();
const modRole = randomSnowflake();
const botRole = randomSnowflake();
const permissions = P.BanMembers | P.ManageGuild;
// Distinct: random snowflakes made in the same millisecond can collide.
const distinct = new Set<string>();
while (distinct.size < USERS) distinct.add(randomSnowflake());
const userIds = [...distinct];
const seeded = await fetch(`${controlUrl}/guilds/${guildId}`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'Massban bench',
    ownerId: randomSnowflake(),
    roles: [
      { id: modRole, name: 'Mods', position: 5, permissions: String(permissions) },
      // The relay reads the mod-log channel (View Channel, Read Message History) to find earlier posts.
      {
        id: botRole,
        name: 'Lockdown',
        position: 9,
        permissions: String(permissions | P.ViewChannel | P.ReadMessageHistory | P.ManageWebhooks),
      },
    ],
    members: [{ user: { id: moderatorId, username: 'mod' }, roles: [modRole] }],
    users: userIds.map((id, i) => ({ id, username: `raider-${i}` })),
    channels: [
      { id: channelId, name: 'general', type: 0 },
      { id: modlogChannelId, name: 'mod-logs', type: 0 },
    ],
    botRoleIds: [botRole],
  }),
});
if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
// The mod-log as /modlog set leaves it: a webhook in #mod-logs, saved with the guild.
const webhook = (await (
  await fetch(`${controlUrl}/channels/${modlogChannelId}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Lockdown' }),
  })
).json()) as { id: string; token: string };
await db.insert(guilds).values({
  guildId,
  modlogChannelId,
  modlogWebhookId: webhook.id,
  modlogWebhookToken: webhook.token,
});

// A relay of its own, reading the Worker's stream from now on (a fresh group at '$', so events of
// earlier runs in the same Redis are not posted again), with the production defaults.
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const relayDb = createNodeDatabase(databaseUrl, 10);
const relayRedis = createRedis(
  process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  'bench-massban-relay',
);
const group = `bench-massban-${randomSnowflake()}`;
await relayRedis.xgroup('CREATE', EVENT_STREAM_KEY, group, '$', 'MKSTREAM');
const standIn = stack.discord as DiscordStandIn;
const relay = new Relay({
  redis: relayRedis,
  db: relayDb,
  discord: new WebhookClient({
    apiBase: standIn.apiBase,
    botToken: 'bench-bot-token',
    limiter: new RateLimiter(),
  }),
  streamKey: EVENT_STREAM_KEY,
  group,
  consumer: 'bench-massban',
});
await relay.start();

/** The case numbers the mod-log channel shows (digest lines and single embeds), and its messages. */
async function modlogCases() {
  const list = (await (
    await fetch(`${controlUrl}/channels/${modlogChannelId}/messages`)
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
const uploaded = await fetch(`${controlUrl}/attachments`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ filename: 'raiders.txt', text: userIds.join('\n'), channel_id: channelId }),
});
const file = (await uploaded.json()) as { id: string };
if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.status}`);

const requests = () => bench.requests(guildId);
const byRoute = (list: RecordedRequest[]) => countByRoute(list, true);

const bindings = { ...stack.bindings, SCHEDULER_GUILD_IDS: guildId };
const worker = await startBenchWorker('lockdown-bench-massban', bindings, stack.signingKeyPkcs8 as string);

async function send(payload: object) {
  const { reply, ms } = await worker.send(payload);
  return {
    reply: reply as {
      type: number;
      data?: { content?: string; components?: { components: { custom_id: string }[] }[] };
    },
    ms,
  };
}

const invoker = { id: moderatorId, username: 'mod', roles: [modRole], permissions };

function massbanCommand() {
  const interaction = buildCommandInteraction({
    applicationId,
    guildId,
    channelId,
    name: 'massban',
    options: [
      { name: 'reason', type: 3, value: 'bench raid' },
      { name: 'file', type: 11, value: file.id },
    ],
    invoker,
    appPermissions: permissions,
  });
  (interaction.data.resolved as Record<string, unknown>).attachments = { [file.id]: file };
  return interaction;
}

function click(customId: string) {
  return send(
    buildComponentInteraction({
      applicationId,
      guildId,
      channelId,
      invoker,
      appPermissions: permissions,
      customId,
      // The preview as the click carries it; the Worker reads only its custom_id and the guild.
      message: {
        id: randomSnowflake(),
        channel_id: channelId,
        content: '',
        components: [],
      } as unknown as APIMessage,
    }),
  );
}

try {
  const { reply: preview, ms: previewMs } = await send(massbanCommand());
  const confirmId = preview.data?.components?.[0]?.components[0]?.custom_id;
  if (!confirmId) throw new Error(`no preview: ${preview.data?.content}`);
  const before = (await requests()).length;
  const clickedAt = performance.now();
  const { reply: answer, ms: answeredMs } = await click(confirmId);
  let ticks = 0;
  for (;;) {
    const [row] = await db.select().from(massbans).where(eq(massbans.guildId, guildId));
    if (row?.state === 'done') break;
    const claimed = row?.workClaimedUntil && row.workClaimedUntil.getTime() > Date.now();
    if (!claimed) {
      if (ticks >= MAX_TICKS) throw new Error(`not done after ${MAX_TICKS} ticks`);
      ticks += 1;
      await worker.tick(Date.now());
    } else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const doneS = (performance.now() - clickedAt) / 1000;
  const rows = await db.select().from(cases).where(eq(cases.guildId, guildId)).orderBy(cases.caseNumber);
  // Then until the mod-log channel shows the last case.
  let visibleS = Number.NaN;
  while (performance.now() - clickedAt < MODLOG_CAP_MS) {
    const { numbers } = await modlogCases();
    if (rows.length > 0 && new Set(numbers).size >= rows.length) {
      visibleS = (performance.now() - clickedAt) / 1000;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Anything still in flight lands before "each case once" is judged.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const modlog = await modlogCases();
  const shown = new Map<number, number>();
  for (const n of modlog.numbers) shown.set(n, (shown.get(n) ?? 0) + 1);
  const once = rows.every((r) => shown.get(r.caseNumber) === 1) && shown.size === rows.length;
  const consecutive = rows.every((r, i) => r.caseNumber === i + 1);
  const sent = (await requests()).slice(before);
  const bulk = sent.filter((r) => r.method === 'POST' && r.path.endsWith('/bulk-ban'));
  console.log(
    `/massban of ${USERS} users (Discord's rate limits on): preview in ${previewMs.toFixed(0)} ms; ` +
      `click answered in ${answeredMs.toFixed(0)} ms ("${answer.data?.content ?? answer.type}"); ` +
      `confirm → done in ${doneS.toFixed(1)} s (${ticks} scheduled tick${ticks === 1 ? '' : 's'} after the click's own invocation); ` +
      `${bulk.filter((r) => r.status === 200).length} bulk-ban calls answered 200 (${bulk.length} sent); ` +
      `${rows.length} cases, consecutive: ${consecutive}, batch ids: ${new Set(rows.map((r) => r.batchId)).size}; ` +
      `Discord calls after the click: ${byRoute(sent)}`,
  );
  const visible = Number.isNaN(visibleS)
    ? `not all visible after ${MODLOG_CAP_MS / 1000} s`
    : `${visibleS.toFixed(1)} s`;
  console.log(
    `   mod-log (relay with production defaults, Discord's webhook limits): confirm → last case visible in the channel ${visible}; ` +
      `${modlog.messages} webhook messages; every case shown once: ${once ? 'yes' : 'NO'} (${shown.size} of ${rows.length} shown)`,
  );
} finally {
  await relay.stop();
  await relayRedis.xgroup('DESTROY', EVENT_STREAM_KEY, group).catch(() => 0);
  relayRedis.disconnect();
  await relayDb.$client.end();
  await worker.dispose();
  await bench.close();
}
