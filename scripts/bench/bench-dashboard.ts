// `node scripts/bench/bench-dashboard.ts`: how fast the dashboard's cases page answers in a server
// of 100,000 cases (issue 14: ≤200 ms of Worker time). One guild gets them in one INSERT … SELECT
// (20 moderators, 20,000 members, several actions and sources, five minutes apart over a year),
// plus 100,000 more over 1,000 other guilds sharing the indexes (case-data.ts). A moderator signs
// in through the real flow (/dashboard/login → the stand-in's authorize page → /dashboard/callback),
// then signed-in GETs go through the Worker in workerd end to end — the session look-up, the user's
// servers asked of the Discord stand-in, the one indexed page query, the HTML — one at a time and
// 8 at a time, p50 / p99, next to the login page (the floor: no session, no query).
// The same for the activity page (30 days per day and action, per moderator) and a member's page,
// with the user directory (known_users) holding a name for every member and moderator, so the
// cases page's search by name and the names beside ids are timed too; then EXPLAIN ANALYZE of the
// activity page's two aggregates (built from activity-data.ts's conditions) and of a name search.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { count, sql } from 'drizzle-orm';
import { cases as caseTable } from '../../db/schema.ts';
import { randomSnowflake } from '../../dev/interactions.ts';
import { activityConditions } from '../../functions/dashboard/pages/activity-data.ts';
import { activityWindow } from '../../functions/dashboard/pages/activity-series.ts';
import { startBenchStack, startBenchWorker } from './bench-worker.ts';
import { removeBenchGuild, seedNeighbourCases } from './case-data.ts';
import { ms, percentile } from './measure.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const WARMUP = 20;
const REQUESTS = Number(process.env.BENCH_DASHBOARD_REQUESTS ?? 200);
const CONCURRENCY = 8;
/** The origin the stand-in has registered the dashboard's callback for (dev/local-stack.ts). */
const ORIGIN = 'http://lockdown.test';

const bench = await startBenchStack({ discordRateLimits: false });
const { stack, db, controlUrl } = bench;
const guildId = randomSnowflake();
const moderatorId = randomSnowflake();
const modRole = randomSnowflake();
const botRole = randomSnowflake();
const member = (k: number) => (100_000_000_000_000_000n + BigInt(k)).toString();
const moderator = (k: number) => (200_000_000_000_000_000n + BigInt(k)).toString();

// ---- the server at Discord (the moderator holds Timeout Members) and in the database -----------
{
  const seeded = await fetch(`${controlUrl}/guilds/${guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Dashboard bench',
      ownerId: randomSnowflake(),
      roles: [
        { id: guildId, name: '@everyone', position: 0, permissions: '0' },
        { id: modRole, name: 'Mods', position: 5, permissions: String(PermissionFlagsBits.ModerateMembers) },
        {
          id: botRole,
          name: 'Lockdown',
          position: 9,
          permissions: String(PermissionFlagsBits.ModerateMembers),
        },
      ],
      members: [{ user: { id: moderatorId, username: 'mod', global_name: null }, roles: [modRole] }],
      botRoleIds: [botRole],
    }),
  });
  if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
  const started = performance.now();
  await db.execute(sql`insert into guilds (guild_id, case_counter) values (${guildId}, ${CASES})`);
  await db.execute(sql`
    insert into cases (id, guild_id, case_number, action, user_id, moderator_id, reason, created_at, source)
    select gen_random_uuid(), ${guildId}, n,
      (array['warn','warn','warn','warn','warn','warn','warn','warn','mute','mute','mute','unmute',
             'ban','ban','ban','unban','kick','kick','note','automod_block'])[1 + (n * 7) % 20],
      (${member(0)}::bigint + (n * 7919) % 20000)::text,
      (${moderator(0)}::bigint + floor(sqrt((n * 31) % 400))::int)::text,
      'Rule ' || (1 + n % 8) || ': <see> the "pinned" message & ' || repeat('more ', 1 + n % 4),
      now() - (${CASES}::int - n) * interval '5 minutes',
      (array['command','command','command','command','command','command','command','discord','discord','automod'])[1 + n % 10]
    from generate_series(1, ${CASES}::int) n`);
  await seedNeighbourCases(db, guildId);
  // A name for each member (member<k>, "Member <k>") and moderator (mod<k>), as interactions and
  // the audit log would have left them.
  await db.execute(sql`
    insert into known_users (user_id, username, global_name)
    select (${member(0)}::bigint + k)::text, 'member' || k, 'Member ' || k from generate_series(0, 19999) k
    union all
    select (${moderator(0)}::bigint + k)::text, 'mod' || k, null from generate_series(0, 19) k
    on conflict (user_id) do nothing`);
  await db.execute(sql`vacuum analyze cases`);
  await db.execute(sql`vacuum analyze known_users`);
  console.log(`seeded ${CASES} cases and 100,000 others in ${ms(performance.now() - started)}`);
}

const worker = await startBenchWorker(
  'lockdown-bench-dashboard',
  { ...stack.bindings },
  stack.signingKeyPkcs8 as string,
);

const cookieOf = (response: { headers: { get(name: string): string | null } }, name: string): string => {
  const all = (response.headers as unknown as Headers).getSetCookie?.() ?? [
    response.headers.get('set-cookie') ?? '',
  ];
  const found = all.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${all.join(' | ')}`);
  return found;
};

/** Signs the moderator in as a browser would, through the stand-in's authorize page; the session cookie. */
async function signIn(userId: string): Promise<string> {
  const login = await worker.fetch(`${ORIGIN}/dashboard/login`, { redirect: 'manual' });
  const authorize = login.headers.get('location');
  if (login.status !== 302 || !authorize) throw new Error(`login answered ${login.status}`);
  const stateCookie = cookieOf(login, 'lockdown_oauth_state');
  const form = new URL(authorize).searchParams;
  form.set('user_id', userId);
  const chosen = await fetch(authorize, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = chosen.headers.get('location');
  if (chosen.status !== 302 || !callback)
    throw new Error(`authorize answered ${chosen.status}: ${await chosen.text()}`);
  const done = await worker.fetch(callback, { headers: { cookie: stateCookie }, redirect: 'manual' });
  if (done.status !== 302) throw new Error(`callback answered ${done.status}: ${await done.text()}`);
  return cookieOf(done, 'lockdown_session');
}

const session = await signIn(moderatorId);

async function get(
  path: string,
  cookie: string | null,
): Promise<{ status: number; body: string; took: number }> {
  const started = performance.now();
  const response = await worker.fetch(`${ORIGIN}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  const body = await response.text();
  return { status: response.status, body, took: performance.now() - started };
}

const shown = (body: string) => [...body.matchAll(/>#(\d+)<\/a><\/td>/g)].map((m) => m[1]);
const describe = (status: number, body: string) => {
  const numbers = shown(body);
  return numbers.length > 0
    ? `${status}, ${numbers.length} cases, #${numbers[0]}…#${numbers.at(-1)}`
    : `${status}`;
};

async function measure(label: string, path: string, cookie: string | null, expected: number): Promise<void> {
  for (let i = 0; i < WARMUP; i += 1) await get(path, cookie);
  const one: number[] = [];
  let last = { status: 0, body: '' };
  for (let i = 0; i < REQUESTS; i += 1) {
    const { status, body, took } = await get(path, cookie);
    if (status !== expected)
      throw new Error(`${label}: ${status} instead of ${expected}: ${body.slice(0, 300)}`);
    one.push(took);
    last = { status, body };
  }
  one.sort((a, b) => a - b);
  const many: number[] = [];
  for (let i = 0; i < REQUESTS / CONCURRENCY; i += 1) {
    const batch = await Promise.all(Array.from({ length: CONCURRENCY }, () => get(path, cookie)));
    for (const { took } of batch) many.push(took);
  }
  many.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(40)} one at a time: p50 ${ms(percentile(one, 50))}, p99 ${ms(percentile(one, 99))}; ` +
      `${CONCURRENCY} at a time: p50 ${ms(percentile(many, 50))}, p99 ${ms(percentile(many, 99))} — ${describe(last.status, last.body)}`,
  );
}

/** The plan of a statement in one line: its database time and its scans. */
async function explain(label: string, query: { sql: string; params: unknown[] }): Promise<void> {
  const result = await db.$client.query(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
  type Node = {
    'Node Type': string;
    'Index Name'?: string;
    'Actual Rows': number;
    'Heap Fetches'?: number;
    'Shared Hit Blocks'?: number;
    'Shared Read Blocks'?: number;
    Plans?: Node[];
  };
  const [plan] = (result.rows[0] as { 'QUERY PLAN': [{ Plan: Node; 'Execution Time': number }] })[
    'QUERY PLAN'
  ];
  const scans: string[] = [];
  const walk = (node: Node) => {
    if (node['Node Type'].includes('Scan'))
      scans.push(
        `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''} (rows ${node['Actual Rows']}${node['Heap Fetches'] === undefined ? '' : `, heap fetches ${node['Heap Fetches']}`})`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  const blocks = (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0);
  console.log(
    `  ${label.padEnd(40)} ${ms(plan['Execution Time']).padStart(9)}, ${blocks} blocks  ${scans.join(' + ')}`,
  );
}

try {
  const cases = `/dashboard/guilds/${guildId}/cases`;
  const year = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const month = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  console.log(
    `The dashboard in a server of ${CASES} cases (${REQUESTS} requests per line, after ${WARMUP} warm-up):`,
  );
  await measure('login page, no session (the floor)', '/dashboard/login', null, 302);
  await measure('server picker', '/dashboard', session, 200);
  await measure('cases (no filter)', cases, session, 200);
  await measure('cases, page at #50,000', `${cases}?before=50000`, session, 200);
  await measure('cases member', `${cases}?member=${member(123)}`, session, 200);
  await measure('cases moderator + action', `${cases}?moderator=${moderator(12)}&action=ban`, session, 200);
  await measure(
    'cases source + last 30 days',
    `${cases}?source=automod&from=${month}&to=${today}`,
    session,
    200,
  );
  await measure('cases from a year ago, Previous', `${cases}?from=${year}&after=40000`, session, 200);
  await measure('one case', `${cases}/50000`, session, 200);
  await measure('bad query (400, nothing read)', `${cases}?action=explode`, session, 400);
  await measure('cases member by name (exact, 1 user)', `${cases}?member=member12345`, session, 200);
  await measure('cases member by name (25 of 1,111 users)', `${cases}?member=member1`, session, 200);
  const guildPath = `/dashboard/guilds/${guildId}`;
  await measure('activity (30 days, ~8,640 cases)', `${guildPath}/activity`, session, 200);
  await measure('member page (5 cases)', `${guildPath}/members/${member(123)}`, session, 200);
  console.log('EXPLAIN ANALYZE (database time, the scans and the rows they read):');
  const where = activityConditions(guildId, activityWindow(new Date()));
  const utcDay = sql`(${caseTable.createdAt} at time zone 'UTC')::date`;
  const day = sql`to_char(${utcDay}, 'YYYY-MM-DD')`;
  await explain(
    'activity per day and action',
    db
      .select({ day, action: caseTable.action, n: count() })
      .from(caseTable)
      .where(where)
      .groupBy(utcDay, caseTable.action)
      .toSQL(),
  );
  await explain(
    'activity per moderator and action',
    db
      .select({ moderatorId: caseTable.moderatorId, action: caseTable.action, n: count() })
      .from(caseTable)
      .where(where)
      .groupBy(caseTable.moderatorId, caseTable.action)
      .toSQL(),
  );
} finally {
  await worker.dispose();
  await db.execute(sql`delete from dashboard_sessions where user_id = ${moderatorId}`);
  await removeBenchGuild(db, guildId);
  await db.execute(sql`
    delete from known_users where user_id::numeric between ${member(0)}::numeric and ${member(19_999)}::numeric
      or user_id::numeric between ${moderator(0)}::numeric and ${moderator(19)}::numeric`);
  await bench.close();
}
