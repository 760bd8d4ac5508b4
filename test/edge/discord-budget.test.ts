// The Discord request budget shared by every part of the Worker (functions/discord/rest.ts over
// global-budget.ts in Redis, route-buckets.ts in the isolate), seen at the Discord stand-in: a
// command and a scheduler tick draw on one budget; a global 429 one part meets pauses the other;
// a route bucket the headers showed empty is waited for instead of earning a 429. Each test has its
// own budget key (DISCORD_BUDGET_KEY), so the rates lowered here never slow other files' tests.
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import {
  asBot,
  banOutsider,
  discordRequests,
  discordRequestsArrived,
  injectDiscordFault,
  putGuild,
  runCommand,
  runTick,
  seedGuild,
  seedUser,
  snowflake,
  stringOption,
  type TestGuild,
  testConfig,
  testGuildSeed,
  testRedis,
  userOption,
} from '../support/edge.ts';

const budgetKey = () => `lockdown:test:discord-budget:${crypto.randomUUID()}`;

/** The bot-token requests the stand-in saw for these guilds, in arrival order. */
async function botRequestsOf(...guildIds: string[]): Promise<RecordedRequest[]> {
  const seen = (await Promise.all(guildIds.map((id) => discordRequests(`/guilds/${id}`)))).flat();
  return seen.filter((r) => r.headers.authorization?.startsWith('Bot ')).sort((a, b) => a.seq - b.seq);
}

/** The shared stand-in runs without rate limits; this turns them on for one guild's routes. */
async function rateLimitGuild(guildId: string): Promise<void> {
  const response = await fetch(`${testConfig().discordControlUrl}/guilds/${guildId}/rate-limits`, {
    method: 'PUT',
  });
  expect(response.status).toBe(204);
}

const gaps = (requests: RecordedRequest[]) =>
  requests.slice(1).map((request, i) => request.at - (requests[i] as RecordedRequest).at);

/** /ban of a user Discord knows who is not in the guild, for `duration` when given. */
function banUser(guild: TestGuild, userId: string, duration?: string) {
  return {
    guild,
    name: 'ban',
    options: [
      userOption('user', userId),
      stringOption('reason', 'spam'),
      ...(duration ? [stringOption('duration', duration)] : []),
    ],
    resolve: [{ id: userId, roles: null }],
  };
}

describe('one Discord budget for every part', () => {
  it('spaces a command and a scheduler tick by the one rate in Redis', async () => {
    // 6 requests a second in all (no burst): a slot every 167 ms, whichever part asks.
    const shared = { DISCORD_BUDGET_KEY: budgetKey(), DISCORD_BUDGET_PER_SECOND: '6' };
    const lifted = await seedGuild();
    const banning = await seedGuild();
    const banned = await runCommand(banUser(lifted, lifted.outsiderId, '1m'));
    expect(banned.body.data?.content).toMatch(/^\*\*Banned\*\*/);
    const before = (await botRequestsOf(lifted.guildId, banning.guildId)).length;

    // The tick lifts the temporary ban while a moderator bans in the other server.
    const [, command] = await Promise.all([
      // Without the queue: its consumer runs with the binding's env, on the default budget key.
      runTick(new Date(Date.now() + 2 * 60_000), {
        ...shared,
        SCHEDULER_GUILD_IDS: lifted.guildId,
        AUDIT_SYNC_QUEUE: undefined,
      }),
      runCommand(banOutsider(banning), shared),
    ]);
    expect(command.body.data?.content).toBe(`**Banned** <@${banning.outsiderId}> — case #1.`);

    const requests = (await botRequestsOf(lifted.guildId, banning.guildId)).slice(before);
    const fromTick = requests.filter((r) => r.path.includes(lifted.guildId));
    const fromCommand = requests.filter((r) => r.path.includes(banning.guildId));
    expect(fromTick.some((r) => r.method === 'DELETE' && r.path.includes('/bans/') && r.status === 204)).toBe(
      true,
    );
    expect(fromCommand.some((r) => r.method === 'PUT' && r.status === 204)).toBe(true);
    // The parts ran side by side: the tick's call came between the command's first and last.
    const tickCall = fromTick[0] as RecordedRequest;
    expect(tickCall.at).toBeGreaterThan((fromCommand[0] as RecordedRequest).at);
    expect(tickCall.at).toBeLessThan((fromCommand.at(-1) as RecordedRequest).at);
    // Both parts' requests, taken together, never start closer than the shared spacing allows
    // (less a little for timers and loopback), and the key that spaced them is in Redis.
    for (const gap of gaps(requests)) expect(gap).toBeGreaterThanOrEqual(167 - 25);
    expect(await testRedis().get(shared.DISCORD_BUDGET_KEY)).not.toBeNull();
    expect(requests.every((r) => r.status !== 429)).toBe(true);
  });

  it('pauses every part after a global 429 one part met, then carries on', async () => {
    const shared = { DISCORD_BUDGET_KEY: budgetKey() };
    const first = await seedGuild();
    const second = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${first.guildId}/bans/`,
      count: 1,
      status: 429,
      retryAfter: 0.6,
      global: true,
    });
    const firstBan = runCommand(banOutsider(first), shared);
    await discordRequestsArrived('PUT', `/guilds/${first.guildId}/bans/`, 1);
    const limited = (await botRequestsOf(first.guildId)).find((r) => r.method === 'PUT') as RecordedRequest;
    expect(limited.status).toBe(429);
    // Another invocation starts only now, after the 429: it finds the budget held.
    const secondBan = runCommand(banOutsider(second), shared);
    const [firstResult, secondResult] = await Promise.all([firstBan, secondBan]);

    // The part that met the 429 waited it out in place and banned.
    expect(firstResult.body.data?.content).toBe(`**Banned** <@${first.outsiderId}> — case #1.`);
    const puts = (await botRequestsOf(first.guildId)).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.status)).toEqual([429, 204]);
    expect((puts[1] as RecordedRequest).at - limited.at).toBeGreaterThanOrEqual(600 - 25);
    // The other sent nothing to Discord until the hold was over.
    expect(secondResult.body.data?.content).toBe(`**Banned** <@${second.outsiderId}> — case #1.`);
    const others = await botRequestsOf(second.guildId);
    expect(others.length).toBeGreaterThan(0);
    for (const request of others) expect(request.at - limited.at).toBeGreaterThanOrEqual(600 - 25);
  });

  it('waits for a ban bucket the headers showed empty instead of earning a 429', async () => {
    const guild = await seedGuild();
    // Six users Discord knows, none in the server: the ban route allows 5 a second per guild.
    const outsiders = Array.from({ length: 6 }, () => snowflake());
    const seed = testGuildSeed(guild);
    await putGuild(guild.guildId, {
      ...seed,
      users: [...(seed.users ?? []), ...outsiders.map((id, i) => seedUser(id, `raider${i}`))],
    });
    await rateLimitGuild(guild.guildId);
    const shared = { DISCORD_BUDGET_KEY: budgetKey() };
    // The first ban shows the bucket (4 remaining); the next five go at once: four fit, the fifth
    // waits for the reset.
    const [firstUser, ...rest] = outsiders as [string, ...string[]];
    const first = await runCommand(banUser(guild, firstUser), shared);
    expect(first.body.data?.content).toMatch(/^\*\*Banned\*\*/);
    const results = await Promise.all(rest.map((userId) => runCommand(banUser(guild, userId), shared)));
    for (const result of results) expect(result.body.data?.content).toMatch(/^\*\*Banned\*\*/);

    const puts = (await botRequestsOf(guild.guildId)).filter(
      (r) => r.method === 'PUT' && r.path.includes('/bans/'),
    );
    expect(puts.map((r) => r.status)).toEqual([204, 204, 204, 204, 204, 204]);
    // The sixth came after the first's window (one second) closed.
    const last = puts[5] as RecordedRequest;
    expect(last.at - (puts[0] as RecordedRequest).at).toBeGreaterThanOrEqual(1000 - 25);

    // Sent without the client's bookkeeping, the same six would have earned a 429.
    const raw: number[] = [];
    for (const userId of outsiders)
      raw.push((await asBot('PUT', `/guilds/${guild.guildId}/bans/${userId}`, {})).status);
    expect(raw).toContain(429);
  });
});
