// Part of `npm run bench:raid`: a /massban of USERS users (Discord knows them, none in the server),
// previewed and confirmed through the Worker in workerd, with the Discord stand-in's rate limits on
// (bulk-ban: 1 call per second per guild). Prints the time to the preview, from the click to the
// last case recorded (the click's own invocation, then scheduled ticks for what it could not
// finish), the bulk-ban calls, the cases (consecutive, one batch id) and the Discord calls by route.
// Run alone with `node scripts/bench/raid-massban.ts`.
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { cases, massbans } from '../../db/schema.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import {
  buildCommandInteraction,
  buildComponentInteraction,
  randomSnowflake,
} from '../../dev/interactions.ts';
import { countByRoute, startBenchStack, startBenchWorker } from './bench-worker.ts';

const USERS = Number(process.env.BENCH_MASSBAN_USERS ?? 1000);
const MAX_TICKS = 10;
const P = PermissionFlagsBits;

const bench = await startBenchStack({ discordRateLimits: true });
const { stack, db, controlUrl } = bench;
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
  await worker.dispose();
  await bench.close();
}
