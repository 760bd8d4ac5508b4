// The sandbox page's server side (dev/sandbox/server.ts) on a real Discord stand-in seeded with the
// sandbox guild: it serves the page, and turns what the page sends into an interaction shaped and
// signed exactly as Discord's, POSTed to the Worker (here a recorder that checks the signature as the
// Worker does), refusing what Discord's client would refuse.
import {
  type APIChatInputApplicationCommandGuildInteraction,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { sandboxGuild } from '../../dev/sandbox/seed.ts';
import { APPLICATION_ID, useSandboxHarness } from '../../dev/sandbox/test-harness.ts';
import { applicationCommands, commandDefinitions } from '../../shared/command-definitions.ts';

/** The bot token the harness's stand-in is started with. */
const BOT_TOKEN = 'sandbox-test-token';
const g = sandboxGuild;

const cronRuns: Date[] = [];
const sandbox = useSandboxHarness({
  runCron: async (time) => {
    cronRuns.push(time);
    return { status: 200, outcome: 'ok' };
  },
});
const send = (body: unknown) => sandbox.post('commands', body);
const last = () =>
  sandbox.received.at(-1)?.interaction as unknown as APIChatInputApplicationCommandGuildInteraction;
const bits = (...names: (keyof typeof PermissionFlagsBits)[]) =>
  names.reduce((all, name) => all | PermissionFlagsBits[name], 0n);

describe('the sandbox page', () => {
  it('is served by the stand-in, which still answers its API and control routes', async () => {
    const root = await fetch(`${sandbox.root}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/sandbox/');
    const page = await fetch(`${sandbox.root}/sandbox/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>Lockdown sandbox</title>');
    for (const [file, type] of [
      ['sandbox.js', 'text/javascript'],
      ['render.js', 'text/javascript'],
      ['sandbox.css', 'text/css'],
    ]) {
      const response = await fetch(`${sandbox.root}/sandbox/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
    expect((await fetch(`${sandbox.root}/sandbox/../server.ts`)).status).toBe(404);
    expect((await fetch(`${sandbox.root}/sandbox/server.ts`)).status).toBe(404);
    const me = await fetch(`${sandbox.discord.apiBase}/users/@me`, {
      headers: { authorization: `Bot ${BOT_TOKEN}` },
    });
    expect(me.status).toBe(200);
    expect((await fetch(`${sandbox.discord.controlUrl}/guilds/${g.guildId}`)).status).toBe(200);
    expect((await fetch(`${sandbox.root}/elsewhere`)).status).toBe(404);
  });

  it('serves every file the page loads: its stylesheets and each module its script imports', async () => {
    const html = await (await fetch(`${sandbox.root}/sandbox/`)).text();
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!);
    expect(styles).toContain('sandbox.css');
    for (const file of styles)
      expect((await fetch(`${sandbox.root}/sandbox/${file}`)).status, file).toBe(200);
    // The page is plain browser modules with no build step: a module missing from the server's list
    // would be a 404 and a page that never starts.
    const pending = [...html.matchAll(/<script type="module" src="([^"]+)">/g)].map((m) => m[1]!);
    expect(pending).toEqual(['sandbox.js']);
    const served = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (served.has(file)) continue;
      const response = await fetch(`${sandbox.root}/sandbox/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toContain('text/javascript');
      served.add(file);
      const source = await response.text();
      for (const [, imported] of source.matchAll(/^import [^;]+ from '\.\/([^']+)';$/gm))
        pending.push(imported!);
    }
    expect(served.size).toBeGreaterThan(20);
  });

  it('describes the fake server and the bot’s own command definitions to the page', async () => {
    const setup = (await (await fetch(`${sandbox.root}/sandbox/api/setup`)).json()) as Record<
      string,
      unknown
    >;
    expect(setup.guild).toEqual(g);
    expect(setup.canSign).toBe(true);
    expect(setup.controlPath).toBe('/__sandbox');
    expect(setup.commands).toEqual(JSON.parse(JSON.stringify(commandDefinitions)));
    // Every Apps-menu command is offered on right-click (for whoever may use it: see /sandbox/api/apps).
    const apps = (await (
      await fetch(`${sandbox.root}/sandbox/api/apps?as=${g.users.owner}&channel=${g.channels.general}`)
    ).json()) as { user: string[]; message: string[] };
    expect([...apps.user, ...apps.message].sort()).toEqual(
      applicationCommands
        .filter((c) => c.type !== 1)
        .map((c) => c.name)
        .sort(),
    );
  });

  it('sends /ban as Discord does: signed, with the invoker’s permissions and the resolved member', async () => {
    const result = await send({
      name: 'ban',
      options: { user: g.users.troublemaker, duration: '1m', reason: 'spam', delete_messages: '1h' },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 200, body: { type: 4, data: { content: 'ok' } } });
    const { verified, interaction } = sandbox.received.at(-1)!;
    expect(verified).toBe(true);
    expect((result.body.interaction as { token: string }).token).toBe(interaction.token);
    expect(interaction).toMatchObject({
      type: 2,
      application_id: APPLICATION_ID,
      guild_id: g.guildId,
      channel_id: g.channels.general,
      channel: { id: g.channels.general, name: 'general', type: 0 },
      member: {
        user: { id: g.users.moderator, username: 'maya_mod', global_name: 'Maya' },
        roles: [g.roles.moderator],
      },
      data: {
        type: 1,
        name: 'ban',
        options: [
          { name: 'user', type: 6, value: g.users.troublemaker },
          { name: 'reason', type: 3, value: 'spam' },
          { name: 'duration', type: 3, value: '1m' },
          { name: 'delete_messages', type: 3, value: '1h' },
        ],
        resolved: {
          users: {
            [g.users.troublemaker]: {
              id: g.users.troublemaker,
              username: 'troublemaker_tom',
              global_name: 'Tom',
            },
          },
          members: { [g.users.troublemaker]: { roles: [g.roles.member] } },
        },
      },
    });
    const moderation = bits(
      'BanMembers',
      'KickMembers',
      'ModerateMembers',
      'ManageGuild',
      'ManageWebhooks',
      'ManageChannels',
      'ManageMessages',
    );
    // Discord's defaults for @everyone that matter in the sandbox (reading, writing, threads,
    // reactions, files, voice, commands), computed in the channel the command was used in.
    const everyone = bits(
      'ViewChannel',
      'SendMessages',
      'SendMessagesInThreads',
      'CreatePublicThreads',
      'CreatePrivateThreads',
      'AddReactions',
      'AttachFiles',
      'ReadMessageHistory',
      'Connect',
      'Speak',
      'UseApplicationCommands',
    );
    expect(BigInt(interaction.member.permissions)).toBe(moderation | everyone);
    // The bot also edits channel overwrites for lockdowns and reads the audit log.
    expect(BigInt(interaction.app_permissions)).toBe(
      moderation | everyone | PermissionFlagsBits.ManageRoles | PermissionFlagsBits.ViewAuditLog,
    );
  });

  it('nests subcommand options and resolves channels for /modlog set', async () => {
    expect(
      (await send({ name: 'modlog', subcommand: 'set', options: { channel: g.channels.modLogs } })).status,
    ).toBe(200);
    const interaction = last() as unknown as {
      data: { options: unknown; resolved: { channels: Record<string, { name: string; type: number }> } };
    };
    expect(interaction.data.options).toEqual([
      { name: 'set', type: 1, options: [{ name: 'channel', type: 7, value: g.channels.modLogs }] },
    ]);
    expect(interaction.data.resolved.channels[g.channels.modLogs]).toMatchObject({
      name: 'mod-logs',
      type: 0,
    });
  });

  it('runs as whoever the page says: the owner has every permission, a non-member is a plain user', async () => {
    await send({ name: 'ban', invokerId: g.users.owner, options: { user: g.users.raider } });
    const interaction = last();
    expect(BigInt(interaction.member.permissions) & PermissionFlagsBits.Administrator).toBe(
      PermissionFlagsBits.Administrator,
    );
    expect(interaction.data.resolved?.users?.[g.users.raider]?.username).toBe('raider_rex');
    expect(interaction.data.resolved?.members?.[g.users.raider]).toBeUndefined();
  });

  it('refuses what Discord’s client would not send', async () => {
    const before = sandbox.received.length;
    const cases: [unknown, string][] = [
      [{ name: 'ban', options: {} }, '`user` is required'],
      [{ name: 'ban', options: { user: g.users.spammer, delete_messages: 'forever' } }, 'one of the choices'],
      [{ name: 'case', subcommand: 'view', options: { number: '0' } }, 'at least 1'],
      [{ name: 'modlog', options: {} }, 'needs a subcommand'],
      [{ name: 'nuke', options: {} }, 'no /nuke command'],
      [{ name: 'kick', invokerId: g.users.raider, options: { user: g.users.spammer } }, 'Only members'],
    ];
    for (const [request, message] of cases) {
      const result = await send(request);
      expect(result.status, message).toBe(400);
      expect(String(result.body.message)).toContain(message);
    }
    expect(sandbox.received.length).toBe(before);
  });

  it('takes commands as JSON only, so another site cannot post one from a browser', async () => {
    const before = sandbox.received.length;
    const response = await fetch(`${sandbox.root}/sandbox/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ name: 'ban', options: { user: g.users.spammer } }),
    });
    expect(response.status).toBe(400);
    expect(sandbox.received.length).toBe(before);
  });

  it('runs the cron as at a later time when asked', async () => {
    const response = await fetch(`${sandbox.root}/sandbox/api/cron`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsetMs: 3_600_000 }),
    });
    expect(await response.json()).toMatchObject({ status: 200, outcome: 'ok' });
    expect(cronRuns.at(-1)!.getTime() - Date.now()).toBeGreaterThan(3_590_000);
  });
});
