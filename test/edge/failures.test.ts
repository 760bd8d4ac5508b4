// When something fails: Discord's error classes, Redis or Postgres down at each step, a slow Discord
// (deferred reply), and many actions at once in one guild.

import { describe, expect, it } from 'vitest';
import {
  banOutsider,
  casesOf,
  discordRequests,
  injectDatabaseFault,
  injectDiscordFault,
  intentsOf,
  outboxOf,
  runCommand,
  seedGuild,
  streamEventsOf,
  stringOption,
  testConfig,
  UNREACHABLE,
  userOption,
} from '../support/edge.ts';

describe('Discord errors', () => {
  it.each([
    [{ status: 404, code: 10013, message: 'Unknown User' }, 'Discord does not know that user.'],
    [
      { status: 403, code: 50013, message: 'Missing Permissions' },
      /^Discord refused: I am missing a permission/,
    ],
    [
      { status: 429, retryAfter: 12.5, message: 'You are being rate limited.' },
      'Discord is rate limiting me. Try again in 13 seconds.',
    ],
  ])('maps %j to a clear message and records nothing', async (fault, message) => {
    const guild = await seedGuild();
    await injectDiscordFault({ method: 'PUT', path: `/guilds/${guild.guildId}/bans/`, count: 1, ...fault });
    const result = await runCommand(banOutsider(guild));
    if (typeof message === 'string') expect(result.body.data?.content).toBe(message);
    else expect(result.body.data?.content).toMatch(message);
    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await outboxOf(guild.guildId)).toEqual([]);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect(await streamEventsOf(guild.guildId)).toEqual([]);
  });

  it('maps unknown ban (10026) on /unban', async () => {
    const guild = await seedGuild();
    const result = await runCommand({ ...banOutsider(guild), name: 'unban' });
    expect(result.body.data?.content).toBe('That user is not banned.');
    expect(await casesOf(guild.guildId)).toEqual([]);
  });

  it('maps unknown member (10007) when the member left before the kick', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'DELETE',
      path: `/guilds/${guild.guildId}/members/`,
      count: 1,
      status: 404,
      code: 10007,
      message: 'Unknown Member',
    });
    const result = await runCommand({
      guild,
      name: 'kick',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe('That user is not a member of this server.');
    expect(await casesOf(guild.guildId)).toEqual([]);
  });

  it('deletes the DM it sent when the action then fails', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'DELETE',
      path: `/guilds/${guild.guildId}/members/`,
      count: 1,
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    await runCommand({
      guild,
      name: 'kick',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    const dmMessages = (await discordRequests('/channels/')).filter(
      (r) => r.method === 'POST' && JSON.stringify(r.body).includes('kicked from'),
    );
    const sent = dmMessages.at(-1);
    expect(sent).toBeDefined();
    const deletions = (await discordRequests(sent!.path)).filter((r) => r.method === 'DELETE');
    expect(deletions).toHaveLength(1);
  });

  it('keeps the intent for the reconciler when Discord answers 5xx (the ban may have happened)', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 502,
    });
    const result = await runCommand(banOutsider(guild));
    expect(result.body.data?.content).toBe(
      'Discord had an internal error (HTTP 502). If the action went through, its case will be recorded automatically; otherwise try again shortly.',
    );
    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await intentsOf(guild.guildId)).toMatchObject([
      { action: 'ban', userId: guild.outsiderId, discordAcceptedAt: null },
    ]);
  });

  it('gives up on a Discord that hangs, keeping the intent', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 0,
      delayMs: 60_000,
    });
    const result = await runCommand(banOutsider(guild));
    // The command outlives the inline budget, so the answer arrives by editing the deferred reply.
    expect(result.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await intentsOf(guild.guildId)).toHaveLength(1);
  });
});

describe('slow actions', () => {
  it('defers, then edits @original with the outcome', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 204,
      delayMs: 300,
    });
    const spec = banOutsider(guild);
    const result = await runCommand(spec, { INLINE_REPLY_BUDGET_MS: '100' });
    expect(result.body).toEqual({ type: 5, data: { flags: 64 } });
    const edits = (await discordRequests('/messages/@original')).filter((r) =>
      JSON.stringify(r.body).includes(`<@${guild.outsiderId}>`),
    );
    expect(edits).toHaveLength(1);
    expect(edits[0]!.method).toBe('PATCH');
    expect(edits[0]!.headers.authorization).toBeUndefined();
    expect(edits[0]!.body).toEqual({
      content: `**Banned** <@${guild.outsiderId}> — case #1.`,
      embeds: [],
      allowed_mentions: { parse: [] },
    });
  });
});

describe('Redis down', () => {
  it('still bans and records; the outbox row waits unpublished for the scheduler', async () => {
    const guild = await seedGuild();
    const result = await runCommand(banOutsider(guild), { UPSTASH_REDIS_REST_URL: UNREACHABLE });
    expect(result.body.data?.content).toBe(`**Banned** <@${guild.outsiderId}> — case #1.`);
    expect(await casesOf(guild.guildId)).toHaveLength(1);
    const [row] = await outboxOf(guild.guildId);
    expect(row).toMatchObject({ eventType: 'ban:created', publishedAt: null, publishAttempts: 1 });
    expect(await streamEventsOf(guild.guildId)).toEqual([]);
  });
});

describe('Postgres down', () => {
  it('refuses before touching Discord when the database is unreachable', async () => {
    const guild = await seedGuild();
    const result = await runCommand(banOutsider(guild), {
      DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:9/lockdown',
    });
    expect(result.body.data?.content).toBe(
      'Something went wrong on our side and nothing was changed. Please try again in a moment.',
    );
    expect(result.body.data?.content).not.toContain('hunter2');
    const writes = (await discordRequests(guild.guildId)).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('keeps a reconcilable intent when the case write fails after Discord accepted the ban', async () => {
    const guild = await seedGuild();
    await injectDatabaseFault(`insert into "guilds".*${guild.guildId}`, 1);
    const result = await runCommand(banOutsider(guild));
    expect(result.body.data?.content).toBe(
      `**Banned** <@${guild.outsiderId}>, but the case could not be saved yet; it will be recorded automatically within a few minutes.`,
    );
    expect(await casesOf(guild.guildId)).toEqual([]);
    const [intent] = await intentsOf(guild.guildId);
    expect(intent).toMatchObject({ action: 'ban', userId: guild.outsiderId, reason: 'test' });
    expect(intent!.discordAcceptedAt).toBeInstanceOf(Date);
  });
});

describe('concurrency', () => {
  it('numbers 20 simultaneous cases 1..20 with no gap or duplicate', async () => {
    const guild = await seedGuild();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runCommand({
          guild,
          name: 'warn',
          options: [userOption('user', guild.targetId), stringOption('reason', `warning ${i}`)],
          resolve: [{ id: guild.targetId }],
        }),
      ),
    );
    for (const result of results) expect(result.body.data?.content).toMatch(/case #\d+\./);
    const numbers = (await casesOf(guild.guildId)).map((row) => row.caseNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const events = await streamEventsOf(guild.guildId);
    expect(new Set(events.map((e) => (e.data as { caseNumber: number }).caseNumber)).size).toBe(20);
  });
});

describe('secrets', () => {
  it('never puts the bot token in a reply or an event', async () => {
    const guild = await seedGuild();
    await runCommand(banOutsider(guild));
    const token = testConfig().bindings.DISCORD_BOT_TOKEN;
    expect(JSON.stringify(await streamEventsOf(guild.guildId))).not.toContain(token);
    expect(JSON.stringify(await outboxOf(guild.guildId))).not.toContain(token);
  });
});
