// /modlog set leaves no webhook behind: when its save fails it deletes the webhook it just made, and
// of two changes racing for one guild only one is saved; the other deletes its own webhook and says
// so. The race is placed, not hoped for: the Discord stand-in holds the first command's webhook
// creation (carrying it out) and the second command runs to the end meanwhile.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { guilds } from '../../db/schema.ts';
import {
  discordGuildState,
  discordRequests,
  discordRequestsArrived,
  injectDatabaseFault,
  injectDiscordFault,
  outboxOf,
  runCommand,
  seedGuild,
  type TestGuild,
  testDatabase,
} from '../support/edge.ts';

/** Short of the Discord client's 4-second timeout; the inline budget is raised past it. */
const HOLD_MS = 1_500;
const LONG_BUDGET = { INLINE_REPLY_BUDGET_MS: '10000' };

const setChannel = (guild: TestGuild) =>
  runCommand(
    {
      guild,
      name: 'modlog',
      options: [{ name: 'set', type: 1, options: [{ name: 'channel', type: 7, value: guild.channelId }] }],
    },
    LONG_BUDGET,
  );
const turnOff = (guild: TestGuild) =>
  runCommand({ guild, name: 'modlog', options: [{ name: 'off', type: 1, options: [] }] }, LONG_BUDGET);

async function settings(guildId: string) {
  const [row] = await testDatabase().select().from(guilds).where(eq(guilds.guildId, guildId));
  return row;
}

const holdWebhookCreation = (guild: TestGuild) =>
  injectDiscordFault({
    method: 'POST',
    path: `/channels/${guild.channelId}/webhooks`,
    count: 1,
    status: 200,
    passThrough: true,
    delayMs: HOLD_MS,
  });

const LOST =
  'Another mod-log change for this server was saved while I was making this one, so I left it as it is. `/modlog status` shows where the mod-log goes now.';

describe('/modlog set cleans up after itself', () => {
  it('deletes the webhook it made when the settings cannot be saved', async () => {
    const guild = await seedGuild();
    await injectDatabaseFault(`insert into "guilds"[\\s\\S]*${guild.guildId}`, 1);
    const result = await setChannel(guild);
    expect(result.body.data?.content).toBe(
      'Something went wrong on our side and nothing was changed. Please try again in a moment.',
    );
    const creations = (await discordRequests(`/channels/${guild.channelId}/webhooks`)).filter(
      (r) => r.method === 'POST',
    );
    expect(creations).toHaveLength(1);
    expect((await discordGuildState(guild.guildId)).webhooks).toEqual([]);
    expect((await settings(guild.guildId))?.modlogWebhookId ?? null).toBeNull();
    expect(await outboxOf(guild.guildId)).toEqual([]);
  });

  it('saves one of two racing /modlog set; the other deletes its own webhook and says so', async () => {
    const guild = await seedGuild();
    await holdWebhookCreation(guild);
    const first = setChannel(guild);
    await discordRequestsArrived('POST', `/channels/${guild.channelId}/webhooks`, 1);
    const second = await setChannel(guild);
    expect(second.body.data?.content).toBe(`The mod-log now goes to <#${guild.channelId}>.`);
    const firstResult = await first;
    expect(firstResult.body.data?.content).toBe(LOST);

    const hooks = (await discordGuildState(guild.guildId)).webhooks;
    expect(hooks).toHaveLength(1);
    expect((await settings(guild.guildId))?.modlogWebhookId).toBe(hooks[0]!.id);
    const audits = (await outboxOf(guild.guildId)).map(
      (row) => (row.payload as { data: { action: string } }).data.action,
    );
    expect(audits).toEqual(['modlog.set']);
  });

  it('does not let a /modlog set that lost to /modlog off switch the mod-log back on', async () => {
    const guild = await seedGuild();
    await setChannel(guild);
    await holdWebhookCreation(guild);
    const setting = setChannel(guild);
    await discordRequestsArrived('POST', `/channels/${guild.channelId}/webhooks`, 2);
    expect((await turnOff(guild)).body.data?.content).toBe(
      'The mod-log is off. Cases are still recorded; `/modlog set` turns it back on.',
    );
    expect((await setting).body.data?.content).toBe(LOST);
    expect((await discordGuildState(guild.guildId)).webhooks).toEqual([]);
    expect((await settings(guild.guildId))?.modlogWebhookId).toBeNull();
  });
});
