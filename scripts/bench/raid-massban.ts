// Part of `npm run bench:raid`: a /massban of USERS users (Discord knows them, none in the server),
// previewed and confirmed through the Worker in workerd, with the Discord stand-in's rate limits on
// (bulk-ban: 1 call per second per guild). Prints the time to the preview, from the click to the
// last case recorded (the click's own invocation, then scheduled ticks for what it could not
// finish), the bulk-ban calls, the cases (consecutive, one batch id) and the Discord calls by route.
// Run alone with `node scripts/bench/raid-massban.ts`.
import { ComponentType, InteractionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { unstable_startWorker } from 'wrangler';
import { createNodeDatabase } from '../../db/node.ts';
import { cases, massbans } from '../../db/schema.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import {
  buildCommandInteraction,
  importSigningKey,
  randomSnowflake,
  signatureHeaders,
} from '../../dev/interactions.ts';
import { startLocalStack } from '../../dev/local-stack.ts';
import { startBenchWorker } from './bench-worker.ts';

const USERS = Number(process.env.BENCH_MASSBAN_USERS ?? 1000);
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
const applicationId = stack.bindings.DISCORD_APPLICATION_ID;

const guildId = randomSnowflake();
const moderatorId = randomSnowflake();
const channelId = randomSnowflake();
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
      { id: botRole, name: 'Lockdown', position: 9, permissions: String(permissions) },
    ],
    members: [{ user: { id: moderatorId, username: 'mod' }, roles: [modRole] }],
    users: userIds.map((id, i) => ({ id, username: `raider-${i}` })),
    channels: [{ id: channelId, name: 'general', type: 0 }],
    botRoleIds: [botRole],
  }),
});
if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
const uploaded = await fetch(`${controlUrl}/attachments`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ filename: 'raiders.txt', text: userIds.join('\n'), channel_id: channelId }),
});
const file = (await uploaded.json()) as { id: string };
if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.status}`);

const requests = async (): Promise<RecordedRequest[]> =>
  (await fetch(`${controlUrl}/requests?contains=${guildId}`)).json() as Promise<RecordedRequest[]>;
const byRoute = (list: RecordedRequest[]) => {
  const counts = new Map<string, number>();
  for (const r of list) {
    const route = `${r.method} ${r.path.replace(/\d{15,20}/g, '{id}')} ${r.status}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].map(([route, n]) => `${route} ×${n}`).join(', ');
};

const bindings = { ...stack.bindings, SCHEDULER_GUILD_IDS: guildId };
const worker = await startBenchWorker('lockdown-bench-massban', bindings, stack.signingKeyPkcs8 as string);
// BenchWorker runs the ticks; its commands carry no resolved attachments and it sends no button
// clicks, so the command (with its file) and the click go to a second instance, signed here.
const clicker = await unstable_startWorker({
  name: 'lockdown-bench-massban-click',
  config: 'wrangler.toml',
  bindings: Object.fromEntries(
    Object.entries(bindings).map(([k, value]) => [k, { type: 'secret_text', value }]),
  ),
  dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'log' },
} as Parameters<typeof unstable_startWorker>[0]);
await clicker.ready;
const key = await importSigningKey(stack.signingKeyPkcs8 as string);

async function send(payload: object) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', ...(await signatureHeaders(key, body)) };
  const started = performance.now();
  const response = await clicker.fetch('http://127.0.0.1/interactions', { method: 'POST', headers, body });
  const reply = (await response.json()) as {
    type: number;
    data?: { content?: string; components?: { components: { custom_id: string }[] }[] };
  };
  return { reply, ms: performance.now() - started };
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
  const command = buildCommandInteraction({
    applicationId,
    guildId,
    channelId,
    name: 'massban',
    invoker,
    appPermissions: permissions,
  });
  const { data: _data, ...rest } = command;
  return send({
    ...rest,
    type: InteractionType.MessageComponent,
    message: { id: randomSnowflake(), channel_id: channelId, content: '', components: [] },
    data: { component_type: ComponentType.Button, custom_id: customId },
  });
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
} finally {
  await clicker.dispose();
  await worker.dispose();
  await db.$client.end();
  await stack.close();
}
