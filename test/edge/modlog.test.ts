// /modlog: creating, adopting, replacing and removing the mod-log webhook, and its status.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { guilds } from '../../db/schema.ts';
import {
  ALL_MOD_PERMISSIONS,
  discordGuildState,
  discordRequests,
  putGuild,
  runCommand,
  seedGuild,
  snowflake,
  streamEventsOf,
  type TestGuild,
  testConfig,
  testDatabase,
  testGuildSeed,
} from '../support/edge.ts';

const channelOption = (id: string) => ({
  name: 'set',
  type: 1,
  options: [{ name: 'channel', type: 7, value: id }],
});
const urlOption = (url: string) => ({
  name: 'set',
  type: 1,
  options: [{ name: 'url', type: 3, value: url }],
});
const sub = (name: string) => ({ name, type: 1, options: [] });

async function settings(guildId: string) {
  const [row] = await testDatabase().select().from(guilds).where(eq(guilds.guildId, guildId));
  return row;
}

async function modlog(guild: TestGuild, option: object, extra: object = {}) {
  return runCommand({ guild, name: 'modlog', options: [option as never], ...extra });
}

describe('/modlog set channel', () => {
  it('creates a webhook in the channel, stores it and announces it without the token', async () => {
    const guild = await seedGuild();
    const result = await modlog(guild, channelOption(guild.channelId));
    expect(result.body.data?.content).toBe(`The mod-log now goes to <#${guild.channelId}>.`);
    const [created] = (await discordRequests(`/channels/${guild.channelId}/webhooks`)).filter(
      (r) => r.method === 'POST',
    );
    expect(created?.body).toEqual({ name: 'Lockdown mod-log' });
    const [webhook] = (await discordGuildState(guild.guildId)).webhooks;
    expect(await settings(guild.guildId)).toMatchObject({
      modlogChannelId: guild.channelId,
      modlogWebhookId: webhook!.id,
      modlogWebhookToken: webhook!.token,
      modlogWebhookOwned: true,
    });
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['audit:logged']);
    expect(events[0]!.data).toMatchObject({
      action: 'modlog.set',
      details: { Channel: `<#${guild.channelId}>` },
    });
    expect(JSON.stringify(events)).not.toContain(webhook!.token);
    expect(JSON.stringify(result.body)).not.toContain(webhook!.token);
  });

  it('replaces the webhook it made before and deletes the old one', async () => {
    const guild = await seedGuild();
    await modlog(guild, channelOption(guild.channelId));
    const [first] = (await discordGuildState(guild.guildId)).webhooks;
    await modlog(guild, channelOption(guild.channelId));
    const hooks = (await discordGuildState(guild.guildId)).webhooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.id).not.toBe(first!.id);
    expect((await settings(guild.guildId))?.modlogWebhookId).toBe(hooks[0]!.id);
  });

  it('needs Manage Server from the moderator and Manage Webhooks from the bot', async () => {
    const guild = await seedGuild();
    const noManageGuild = await modlog(guild, channelOption(guild.channelId), {
      permissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ManageGuild,
    });
    expect(noManageGuild.body.data?.content).toBe(
      'You need the **Manage Server** permission to use /modlog.',
    );
    const noWebhooks = await modlog(guild, channelOption(guild.channelId), {
      appPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ManageWebhooks,
    });
    expect(noWebhooks.body.data?.content).toBe(
      `I need the **Manage Webhooks** permission in <#${guild.channelId}> to do that. Ask an admin to grant it to my role.`,
    );
    expect(await settings(guild.guildId)).toBeUndefined();
    expect((await discordGuildState(guild.guildId)).webhooks).toEqual([]);
  });

  it("checks the bot's permissions in the channel named, not in the one the command was typed in", async () => {
    const guild = await seedGuild();
    const closed = snowflake();
    const seed = testGuildSeed(guild);
    // A server as set up for real: everyone sees its channels; #closed denies the bot Manage Webhooks.
    seed.roles.push({
      id: guild.guildId,
      name: '@everyone',
      position: 0,
      permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages),
    });
    seed.channels = [
      ...(seed.channels ?? []),
      {
        id: closed,
        name: 'closed',
        type: 0,
        permission_overwrites: [
          { id: guild.roles.bot, type: 0, allow: '0', deny: String(PermissionFlagsBits.ManageWebhooks) },
        ],
      },
    ];
    await putGuild(guild.guildId, seed);
    // Typed in a channel where the bot holds everything (the interaction's app_permissions say so).
    const refused = await modlog(guild, channelOption(closed));
    expect(refused.body.data?.content).toBe(
      `I need the **Manage Webhooks** permission in <#${closed}> to do that. Ask an admin to grant it to my role.`,
    );
    expect(await settings(guild.guildId)).toBeUndefined();
    expect((await discordGuildState(guild.guildId)).webhooks).toEqual([]);
  });
});

describe('/modlog set url', () => {
  it('adopts an existing webhook of this server', async () => {
    const guild = await seedGuild();
    const created = await fetch(
      `${testConfig().bindings.DISCORD_API_BASE}/channels/${guild.channelId}/webhooks`,
      {
        method: 'POST',
        headers: {
          authorization: `Bot ${testConfig().bindings.DISCORD_BOT_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'Made by hand' }),
      },
    );
    const webhook = (await created.json()) as { id: string; token: string; url: string };
    const result = await modlog(guild, urlOption(webhook.url));
    expect(result.body.data?.content).toBe(`The mod-log now goes to <#${guild.channelId}>.`);
    expect(await settings(guild.guildId)).toMatchObject({
      modlogWebhookId: webhook.id,
      modlogWebhookOwned: false,
    });
  });

  it('refuses something that is not a webhook URL, and a webhook that does not exist', async () => {
    const guild = await seedGuild();
    const bad = await modlog(guild, urlOption('https://example.com/hook'));
    expect(bad.body.data?.content).toBe(
      'That is not a Discord webhook URL. It looks like https://discord.com/api/webhooks/<id>/<token>.',
    );
    const missing = await modlog(
      guild,
      urlOption(`https://discord.com/api/webhooks/123456789012345678/${'a'.repeat(68)}`),
    );
    expect(missing.body.data?.content).toBe('That webhook does not exist or its token is wrong.');
    expect(await settings(guild.guildId)).toBeUndefined();
  });

  it('refuses giving both or neither of channel and url', async () => {
    const guild = await seedGuild();
    const neither = await modlog(guild, sub('set'));
    expect(neither.body.data?.content).toBe('Give either a `channel` or a webhook `url`, not both.');
  });
});

describe('/modlog off and status', () => {
  it('reports, turns off and deletes the bot’s webhook', async () => {
    const guild = await seedGuild();
    expect((await modlog(guild, sub('status'))).body.data?.content).toBe(
      'The mod-log is off. Use `/modlog set` to choose a channel.',
    );
    await modlog(guild, channelOption(guild.channelId));
    const status = (await modlog(guild, sub('status'))).body.data?.content;
    expect(status).toContain(`**Channel:** <#${guild.channelId}>`);
    expect(status).toContain('**Health:** working');
    // The relay does not run in these tests: the mod-log's own announcement is still waiting.
    expect(status).toContain('**Events waiting:** 1');
    expect(status).toContain('**Last delivery:** none yet');
    expect(status).toContain('**Dead letters:** 0');

    const off = await modlog(guild, sub('off'));
    expect(off.body.data?.content).toBe(
      'The mod-log is off. Cases are still recorded; `/modlog set` turns it back on.',
    );
    expect((await discordGuildState(guild.guildId)).webhooks).toEqual([]);
    expect(await settings(guild.guildId)).toMatchObject({ modlogWebhookId: null, modlogWebhookToken: null });
    expect((await streamEventsOf(guild.guildId)).map((e) => (e.data as { action: string }).action)).toEqual([
      'modlog.set',
      'modlog.removed',
    ]);
    expect((await modlog(guild, sub('off'))).body.data?.content).toBe('The mod-log is already off.');
  });
});
