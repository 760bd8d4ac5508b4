// `node scripts/bench/bench-cases.ts`: how fast /cases answers in a server of 100,000 cases. One
// guild gets them in one INSERT … SELECT generate_series (20 moderators, a few busy; 20,000 members;
// warnings the most common action; sources command/discord/automod/escalation; five minutes apart
// over a year; 1 in 500 deleted; 300 dated a month before their neighbours, as an audit-log import
// leaves them), plus 100,000 more spread over 1,000 other guilds sharing the indexes. Then signed
// /cases requests and page clicks go through the Worker in workerd (against this machine's Postgres
// behind the Neon HTTP stand-in), one at a time and 8 at a time, printed as p50 / p99 next to a
// signed PING's (the floor). Discord allows 3 s for the answer. Last, each filter combination's
// statement — built by the same code the Worker runs (case-search.ts) — under EXPLAIN ANALYZE:
// the index it uses, the rows it read and threw away, its database time.

import { type APIApplicationCommandInteractionDataOption, PermissionFlagsBits } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import {
  buildCommandInteraction,
  buildComponentInteraction,
  buildMessage,
  randomSnowflake,
} from '../../dev/interactions.ts';
import {
  CASES_PAGE_SIZE,
  type CaseFilters,
  noFilters,
  type PageRequest,
} from '../../functions/commands/cases/case-filters.ts';
import { searchConditions, searchOrder } from '../../functions/commands/cases/case-search.ts';
import { startBenchStack, startBenchWorker } from './bench-worker.ts';
import { removeBenchGuild, seedNeighbourCases } from './case-data.ts';
import { measureRoundTrips, ms, pingPayload } from './measure.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const WARMUP = 20;
const REQUESTS = Number(process.env.BENCH_CASES_REQUESTS ?? 200);
const CONCURRENCY = 8;
const DAY = 86_400_000;

const bench = await startBenchStack({ discordRateLimits: false });
const { stack, db } = bench;
const guildId = randomSnowflake();
const moderatorBase = 200_000_000_000_000_000n;
const moderator = (k: number) => (moderatorBase + BigInt(k)).toString();
const member = (k: number) => (100_000_000_000_000_000n + BigInt(k)).toString();

// ---- data: one statement for the guild, one for the others ---------------------------------------
{
  const started = performance.now();
  await db.execute(sql`insert into guilds (guild_id, case_counter) values (${guildId}, ${CASES})`);
  await db.execute(sql`
    insert into cases (id, guild_id, case_number, action, user_id, moderator_id, reason, created_at,
                       expires_at, source, deleted_at, deleted_by, delete_reason)
    select gen_random_uuid(), ${guildId}, n,
      (array['warn','warn','warn','warn','warn','warn','warn','warn','mute','mute','mute','unmute',
             'ban','ban','ban','unban','kick','kick','note','automod_block'])[1 + (n * 7) % 20],
      (${member(0)}::bigint + (n * 7919) % 20000)::text,
      (${moderator(0)}::bigint + floor(sqrt((n * 31) % 400))::int)::text,
      'Rule ' || (1 + n % 8) || ': ' || repeat('see the pinned message ', 1 + n % 4),
      now() - (${CASES}::int - n) * interval '5 minutes'
        - case when n % 997 < 3 then interval '30 days' else interval '0' end,
      case when (n * 7) % 20 between 8 and 10 then now() + interval '1 day' else null end,
      (array['command','command','command','command','command','command','command','discord','discord','automod'])[1 + n % 10],
      case when n % 500 = 0 then now() end,
      case when n % 500 = 0 then ${moderator(1)} end,
      case when n % 500 = 0 then 'entered by mistake' end
    from generate_series(1, ${CASES}::int) n`);
  await db.execute(sql`update cases set source = 'escalation', moderator_id = '1100000000000000001'
    where guild_id = ${guildId} and case_number % 50 = 1 and action in ('mute', 'ban', 'kick')`);
  await seedNeighbourCases(db, guildId);
  await db.execute(sql`vacuum analyze cases`);
  console.log(`seeded ${CASES} cases and 100,000 others in ${ms(performance.now() - started)}`);
}

const worker = await startBenchWorker(
  'lockdown-bench-cases',
  { ...stack.bindings },
  stack.signingKeyPkcs8 as string,
);
const invoker = {
  id: moderator(7),
  username: 'mod',
  roles: [],
  permissions: PermissionFlagsBits.ModerateMembers,
};
const base = {
  applicationId: stack.bindings.DISCORD_APPLICATION_ID,
  guildId,
  channelId: randomSnowflake(),
  invoker,
  appPermissions: PermissionFlagsBits.ModerateMembers,
};
type Option = APIApplicationCommandInteractionDataOption;
type Reply = {
  type: number;
  data?: {
    content?: string;
    embeds?: { description?: string }[];
    components?: { components: { custom_id: string; label: string }[] }[];
  };
};
const user = (name: string, id: string): Option => ({ name, type: 6, value: id });
const text = (name: string, value: string): Option => ({ name, type: 3, value });
const casesCommand = (options: Option[]) => () =>
  buildCommandInteraction({ ...base, name: 'cases', options });
const message = buildMessage({
  channelId: base.channelId,
  author: { id: stack.bindings.DISCORD_APPLICATION_ID, username: 'Lockdown' },
  type: 20,
  flags: 64,
});
const clickOn = (customId: string) => () => buildComponentInteraction({ ...base, message, customId });

const numbers = (reply: Reply) =>
  [...(reply.data?.embeds?.[0]?.description ?? '').matchAll(/`#(\d+)`/g)].map((m) => m[1]);
const summary = (reply: Reply) => {
  const shown = numbers(reply);
  return shown.length > 0
    ? `type ${reply.type}, ${shown.length} cases, #${shown[0]}…#${shown.at(-1)}`
    : `type ${reply.type}: ${reply.data?.content}`;
};
const nextOf = async (payload: () => object) => {
  const { reply } = await worker.send(payload());
  const next = (reply as Reply).data?.components?.[0]?.components.find((b) => b.label === 'Next');
  if (!next) throw new Error(`no Next button: ${JSON.stringify(reply).slice(0, 300)}`);
  return next.custom_id;
};

const measure = (label: string, payload: () => object) =>
  measureRoundTrips(
    worker,
    { warmup: WARMUP, requests: REQUESTS, concurrency: CONCURRENCY, labelWidth: 44 },
    label,
    payload,
    summary,
  );

/** The plan of the statement the Worker sends for these filters and page, in one line. */
async function explain(label: string, filters: CaseFilters, page: PageRequest | null) {
  const query = db
    .select()
    .from(cases)
    .where(searchConditions(guildId, filters, page))
    .orderBy(...searchOrder(filters, page))
    .limit(CASES_PAGE_SIZE + 1)
    .toSQL();
  const result = await db.$client.query(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
  type Node = {
    'Node Type': string;
    'Index Name'?: string;
    'Actual Rows': number;
    'Rows Removed by Filter'?: number;
    Plans?: Node[];
  };
  const [plan] = (result.rows[0] as { 'QUERY PLAN': [{ Plan: Node; 'Execution Time': number }] })[
    'QUERY PLAN'
  ];
  const scans: string[] = [];
  const walk = (node: Node) => {
    if (node['Node Type'].includes('Scan'))
      scans.push(
        `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''} (rows ${node['Actual Rows']}, removed ${node['Rows Removed by Filter'] ?? 0})`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  console.log(`  ${label.padEnd(40)} ${ms(plan['Execution Time']).padStart(9)}  ${scans.join(' + ')}`);
}

const ago = (days: number) => new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000);

try {
  const someone = member(123);
  console.log(
    `/cases in a server of ${CASES} cases (${REQUESTS} requests per line, after ${WARMUP} warm-up):`,
  );
  await measure('signed PING (the floor)', () => pingPayload(base.applicationId));
  await measure('/cases (no filter)', casesCommand([]));
  await measure('/cases user', casesCommand([user('user', someone)]));
  await measure(
    '/cases moderator + action',
    casesCommand([user('moderator', moderator(12)), text('action', 'ban')]),
  );
  await measure('/cases since:7d', casesCommand([text('since', '7d')]));
  await measure('/cases since:30m (fewer than a page)', casesCommand([text('since', '30m')]));
  await measure('page click: Next (no filter)', clickOn(await nextOf(casesCommand([]))));
  await measure('page click: Next (since:7d)', clickOn(await nextOf(casesCommand([text('since', '7d')]))));

  console.log('EXPLAIN ANALYZE of each statement (database time, the scans and the rows they read):');
  const since7 = { ...noFilters, since: ago(7) };
  const older = (cursor: number): PageRequest => ({ direction: 'older', cursor });
  await explain('no filter', noFilters, null);
  await explain('no filter, page at #50,000', noFilters, older(50_000));
  await explain('no filter, Previous from #50,000', noFilters, { direction: 'newer', cursor: 50_000 });
  await explain('user', { ...noFilters, userId: someone }, null);
  await explain('moderator', { ...noFilters, moderatorId: moderator(3) }, null);
  await explain('action', { ...noFilters, action: 'kick' }, null);
  await explain('source', { ...noFilters, source: 'automod' }, null);
  await explain('moderator + action', { ...noFilters, moderatorId: moderator(12), action: 'ban' }, null);
  await explain(
    'moderator + action, last page',
    { ...noFilters, moderatorId: moderator(12), action: 'ban' },
    older(200),
  );
  await explain(
    'action + source (no match at all)',
    { ...noFilters, action: 'note', source: 'automod' },
    null,
  );
  await explain('since 7d', since7, null);
  await explain('since 7d, last page', since7, older(CASES - 2_010));
  await explain('since 30m (5 cases)', { ...noFilters, since: new Date(Date.now() - 1_800_000) }, null);
  await explain('since 1y', { ...noFilters, since: ago(365) }, older(40_000));
  await explain('user + since 90d', { ...noFilters, userId: someone, since: ago(90) }, null);
  await explain('moderator + since 30d', { ...noFilters, moderatorId: moderator(3), since: ago(30) }, null);
  await explain(
    'every filter',
    { userId: someone, moderatorId: moderator(19), action: 'warn', source: 'command', since: ago(365) },
    null,
  );
} finally {
  await worker.dispose();
  await removeBenchGuild(db, guildId);
  await bench.close();
}
