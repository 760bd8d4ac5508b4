// `node scripts/bench/bench-autocomplete.ts`: how fast autocomplete answers in a big server. One
// guild gets 100,000 cases (plus 100,000 more spread over 1,000 other guilds, so the index is
// shared as in production) and 100 saved reasons, written in bulk by SQL; then signed autocomplete
// requests go through the Worker in workerd (against this machine's Postgres behind the Neon HTTP
// stand-in) one at a time and 8 at a time, and their round trips are printed as p50 / p99 next to
// a signed PING's (the floor: signature check and workerd). Discord allows 3 s for the answer.
// Last, the database's own time for the digit-prefix query in its two possible shapes (EXPLAIN
// ANALYZE): the OR-ed ranges it does not use, and the UNION ALL of range scans it does.
import { type APIApplicationCommandInteractionDataOption, PermissionFlagsBits } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { buildAutocompleteInteraction, randomSnowflake } from '../../dev/interactions.ts';
import { startBenchStack, startBenchWorker } from './bench-worker.ts';
import { removeBenchGuild, seedNeighbourCases } from './case-data.ts';
import { measureRoundTrips, median, ms, pingPayload } from './measure.ts';

const CASES = Number(process.env.BENCH_AUTOCOMPLETE_CASES ?? 100_000);
const WARMUP = 20;
const SEQUENTIAL = Number(process.env.BENCH_AUTOCOMPLETE_REQUESTS ?? 300);
const CONCURRENCY = 8;

const bench = await startBenchStack({ discordRateLimits: false });
const { stack, db } = bench;
const guildId = randomSnowflake();
const moderatorId = randomSnowflake();

// ---- data: written by SQL in a few statements ---------------------------------------------------
{
  const started = performance.now();
  await db.execute(sql`insert into guilds (guild_id, case_counter) values (${guildId}, ${CASES})`);
  await db.execute(sql`
    insert into cases (id, guild_id, case_number, action, user_id, moderator_id, reason, created_at, expires_at)
    select gen_random_uuid(), ${guildId}, n,
      (array['ban','kick','warn','mute','unban','unmute'])[1 + n % 6],
      (100000000000000000 + (n * 7919) % 20000)::text, ${moderatorId},
      case when n % 9 = 0 then 'Spamming links in #general (' || n || ')'
           when n % 5 = 0 then null
           else 'Rule ' || (1 + n % 8) || ': ' || repeat('see the pinned message ', 1 + n % 4) end,
      now() - (${CASES}::int - n) * interval '1 minute',
      case when n % 6 = 3 then now() + interval '1 day' else null end
    from generate_series(1, ${CASES}::int) n`);
  // Other servers' cases in the same index (100 each).
  await seedNeighbourCases(db, guildId);
  await db.execute(sql`
    insert into saved_reasons (guild_id, name_key, name, text, created_by)
    select ${guildId}, 'reason-' || n, 'reason-' || n,
      'Saved reason ' || n || ': ' || repeat('please read the rules channel ', 1 + n % 15), ${moderatorId}
    from generate_series(1, 100) n`);
  await db.execute(sql`analyze cases`);
  await db.execute(sql`analyze saved_reasons`);
  console.log(
    `seeded ${CASES} cases, 100,000 others and 100 saved reasons in ${ms(performance.now() - started)}`,
  );
}

const worker = await startBenchWorker(
  'lockdown-bench-autocomplete',
  { ...stack.bindings },
  stack.signingKeyPkcs8 as string,
);

const invoker = {
  id: moderatorId,
  username: 'mod',
  roles: [],
  permissions: PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.BanMembers,
};

/** An autocomplete request for `option` (in `subcommand`, if given) as typed so far. */
function autocomplete(
  command: string,
  subcommand: string | null,
  option: string,
  type: 3 | 4,
  typed: string,
) {
  const focused = {
    name: option,
    type,
    value: typed,
    focused: true,
  } as APIApplicationCommandInteractionDataOption;
  return buildAutocompleteInteraction({
    applicationId: stack.bindings.DISCORD_APPLICATION_ID,
    guildId,
    channelId: randomSnowflake(),
    name: command,
    invoker,
    appPermissions: PermissionFlagsBits.BanMembers,
    options: subcommand
      ? [{ name: subcommand, type: 1, options: [focused] } as APIApplicationCommandInteractionDataOption]
      : [focused],
  });
}
const caseView = (typed: string) => autocomplete('case', 'view', 'number', 4, typed);

type Choices = { type: number; data?: { choices?: { name: string; value: string | number }[] } };

const measure = (label: string, payload: () => object, check: (reply: Choices) => string) =>
  measureRoundTrips(
    worker,
    { warmup: WARMUP, requests: SEQUENTIAL, concurrency: CONCURRENCY, labelWidth: 39 },
    label,
    payload,
    check,
  );

const choices = (reply: Choices) => reply.data?.choices ?? [];
const summary = (reply: Choices) => {
  const list = choices(reply);
  const first = list[0];
  return `${list.length} choices${first ? `, first "${first.name}"` : ''}`;
};

try {
  console.log(
    `Autocomplete in a server of ${CASES} cases (${SEQUENTIAL} requests per line, after ${WARMUP} warm-up):`,
  );
  await measure(
    'signed PING (the floor)',
    () => pingPayload(stack.bindings.DISCORD_APPLICATION_ID),
    (reply) => `type ${reply.type}`,
  );
  await measure('/case view number: "" (newest 25)', () => caseView(''), summary);
  await measure('/case view number: "1" (10 ranges)', () => caseView('1'), summary);
  await measure('/case view number: "4242"', () => caseView('4242'), summary);
  await measure('/case view number: "spam" (words)', () => caseView('spam'), summary);
  await measure('/case view number: "zzz" (no match)', () => caseView('zzz'), summary);
  await measure('/ban reason: "" (100 saved)', () => autocomplete('ban', null, 'reason', 3, ''), summary);
  await measure(
    '/ban reason: "rules chan"',
    () => autocomplete('ban', null, 'reason', 3, 'rules chan'),
    summary,
  );

  // The database's own time for prefix "1", in the shape OR-ing the ranges would take and the one used.
  const ranges = Array.from({ length: 10 }, (_, k) => [10 ** k, Math.min(2 * 10 ** k - 1, 2_147_483_647)]);
  const ored = sql.join(
    ranges.map(([low, high]) => sql`case_number between ${low} and ${high}`),
    sql` or `,
  );
  const union = sql.join(
    ranges.map(
      ([low, high]) =>
        sql`(select case_number from cases where guild_id = ${guildId} and case_number between ${low} and ${high} order by case_number desc limit 25)`,
    ),
    sql` union all `,
  );
  const executionTime = async (query: ReturnType<typeof sql>) => {
    const result = await db.execute(sql`explain (analyze, format json) ${query}`);
    const plan = (result.rows[0] as { 'QUERY PLAN': [{ 'Execution Time': number }] })['QUERY PLAN'][0];
    return plan['Execution Time'];
  };
  const times = { ored: [] as number[], union: [] as number[] };
  for (let i = 0; i < 20; i += 1) {
    times.ored.push(
      await executionTime(
        sql`select case_number from cases where guild_id = ${guildId} and (${ored}) order by case_number desc limit 25`,
      ),
    );
    times.union.push(
      await executionTime(sql`select * from (${union}) as matched order by case_number desc limit 25`),
    );
  }
  console.log(
    `database time for prefix "1" (median of 20): ranges OR-ed in one WHERE ${ms(median(times.ored))}, ` +
      `UNION ALL of range scans (what autocomplete sends) ${ms(median(times.union))}`,
  );
} finally {
  await worker.dispose();
  await db.execute(sql`delete from saved_reasons where guild_id = ${guildId}`);
  await removeBenchGuild(db, guildId);
  await bench.close();
}
