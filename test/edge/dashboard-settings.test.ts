// The dashboard's settings page in workerd, signed in through the real Login with Discord against the
// stand-in: a Manage Server user sees and changes the mod-log channel, the escalation policies and
// the saved reasons (each change's row and its audit:logged event naming them, marked as made on the
// dashboard); a Timeout Members user gets 403 on the page and its forms; a POST without or with a
// wrong CSRF token, or from another origin, is 403; refused input is a 400 with the slash command's
// own words; nothing changes in any of those.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { escalationPolicies, guilds, savedReasons } from '../../db/schema.ts';
import { settingsNotices } from '../../functions/dashboard/pages/settings-form.ts';
import { getPage as get, signIn, WORKER } from '../support/dashboard.ts';
import {
  callWorker,
  channelOption,
  discordGuildState,
  integerOption,
  putGuild,
  runCommand,
  seedGuild,
  seedUser,
  snowflake,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
  testGuildSeed,
} from '../support/edge.ts';

/**
 * A test guild whose @everyone may see its channels, as Discord's default @everyone may (the shared
 * seed gives @everyone nothing; a bot that cannot see a channel has no permission there at all).
 */
function seenSeed(guild: TestGuild) {
  const seed = testGuildSeed(guild);
  seed.roles.push({
    id: guild.guildId,
    name: '@everyone',
    position: 0,
    permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages),
  });
  return seed;
}

async function settingsGuild(): Promise<TestGuild> {
  const guild = await seedGuild();
  await putGuild(guild.guildId, seenSeed(guild));
  return guild;
}

const settingsUrl = (guild: TestGuild) => `/dashboard/guilds/${guild.guildId}/settings`;

interface Sent {
  cookie: string;
  csrf?: string | null;
  origin?: string;
}

/** A form POST as a browser sends it: urlencoded, our Origin, the `_csrf` field unless told not to. */
function post(path: string, fields: Record<string, string>, sent: Sent) {
  const form = new URLSearchParams(fields);
  if (sent.csrf !== null && sent.csrf !== undefined) form.set('_csrf', sent.csrf);
  return callWorker(
    new Request(`${WORKER}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: sent.cookie,
        origin: sent.origin ?? WORKER,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    }),
  );
}

const escapeHtml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

async function modlogRow(guildId: string) {
  const [row] = await testDatabase().select().from(guilds).where(eq(guilds.guildId, guildId));
  return row;
}
const policiesOf = (guildId: string) =>
  testDatabase().select().from(escalationPolicies).where(eq(escalationPolicies.guildId, guildId));
const reasonsOf = (guildId: string) =>
  testDatabase()
    .select({ name: savedReasons.name, text: savedReasons.text })
    .from(savedReasons)
    .where(eq(savedReasons.guildId, guildId));

/** Everything a settings change could touch, to compare before and after a refused request. */
async function snapshot(guild: TestGuild) {
  const row = await modlogRow(guild.guildId);
  return {
    modlog: row ? { channel: row.modlogChannelId, webhook: row.modlogWebhookId } : null,
    policies: (await policiesOf(guild.guildId)).map((p) => p.policyNumber),
    reasons: await reasonsOf(guild.guildId),
    webhooks: (await discordGuildState(guild.guildId)).webhooks.length,
    events: (await streamEventsOf(guild.guildId)).length,
  };
}

/** The Location of a 303 after a change. */
function doneOf(response: Response): string | null {
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') ?? '', WORKER);
  return location.searchParams.get('done');
}

describe('dashboard settings', () => {
  it('a Manage Server user sets the mod-log channel, and the page shows its health', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.moderatorId);
    const before = await (await get(settingsUrl(guild), session.cookie)).text();
    expect(before).toContain('The mod-log is off.');
    expect(before).toContain(`<option value="${guild.channelId}">#mod-logs</option>`);

    const set = await post(`${settingsUrl(guild)}/modlog`, { channel: guild.channelId }, session);
    expect(doneOf(set)).toBe('modlog-set');
    const [webhook] = (await discordGuildState(guild.guildId)).webhooks;
    expect(await modlogRow(guild.guildId)).toMatchObject({
      modlogChannelId: guild.channelId,
      modlogWebhookId: webhook!.id,
      modlogWebhookOwned: true,
    });
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['audit:logged']);
    expect(events[0]!.data).toMatchObject({
      action: 'modlog.set',
      moderatorId: guild.moderatorId,
      details: { Channel: `<#${guild.channelId}>`, Via: 'Dashboard' },
    });

    const after = await get(`${settingsUrl(guild)}?done=modlog-set`, session.cookie);
    const html = await after.text();
    expect(after.status).toBe(200);
    expect(html).toContain(settingsNotices['modlog-set']);
    expect(html).toContain('<dt>Channel</dt><dd>#mod-logs</dd>');
    expect(html).toContain('<dt>Health</dt><dd>Working</dd>');
    expect(html).toContain('<dt>Events waiting</dt><dd>1</dd>');
    expect(html).toContain('<dt>Dead letters</dt><dd>0</dd>');
    expect(html).toContain(`<option value="${guild.channelId}" selected>#mod-logs</option>`);
    // Secrets never reach the page.
    expect(html).not.toContain(webhook!.token);
  });

  it('adds and removes an escalation policy, each with its event naming the dashboard user', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.moderatorId);
    const added = await post(
      `${settingsUrl(guild)}/escalation`,
      { warnings: '3', within: '7d', action: 'mute', duration: '1h' },
      session,
    );
    expect(doneOf(added)).toBe('policy-added');
    expect(await policiesOf(guild.guildId)).toMatchObject([
      { policyNumber: 1, warnings: 3, withinSeconds: 7 * 86_400, action: 'mute', durationSeconds: 3600 },
    ]);
    const page = await (await get(settingsUrl(guild), session.cookie)).text();
    expect(page).toContain(escapeHtml('#1 — at 3 warnings within 7d: mute for 1h'));

    const removed = await post(`${settingsUrl(guild)}/escalation/remove`, { policy: '1' }, session);
    expect(doneOf(removed)).toBe('policy-removed');
    expect(await policiesOf(guild.guildId)).toEqual([]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.data)).toMatchObject([
      {
        action: 'escalation.added',
        moderatorId: guild.moderatorId,
        details: { Policy: '#1', Via: 'Dashboard' },
      },
      {
        action: 'escalation.removed',
        moderatorId: guild.moderatorId,
        details: { Policy: '#1', Via: 'Dashboard' },
      },
    ]);
  });

  it('saves, replaces and removes a saved reason, each with its event', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.ownerId);
    const url = `${settingsUrl(guild)}/reasons`;
    expect(doneOf(await post(url, { name: 'spam', text: 'Spamming links' }, session))).toBe('reason-saved');
    expect(doneOf(await post(url, { name: 'SPAM', text: 'Spamming' }, session))).toBe('reason-replaced');
    expect(doneOf(await post(url, { name: 'SPAM', text: 'Spamming' }, session))).toBe('reason-unchanged');
    expect(await reasonsOf(guild.guildId)).toEqual([{ name: 'SPAM', text: 'Spamming' }]);
    const page = await (await get(settingsUrl(guild), session.cookie)).text();
    expect(page).toContain('<td data-label="Text" class="reason">Spamming</td>');
    expect(doneOf(await post(`${url}/remove`, { name: 'spam' }, session))).toBe('reason-removed');
    expect(await reasonsOf(guild.guildId)).toEqual([]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.data)).toMatchObject([
      { action: 'reasons.saved', moderatorId: guild.ownerId, details: { Name: 'spam', Via: 'Dashboard' } },
      {
        action: 'reasons.saved',
        details: { Name: 'SPAM', 'Previous text': 'Spamming links', Via: 'Dashboard' },
      },
      { action: 'reasons.removed', moderatorId: guild.ownerId, details: { Name: 'SPAM', Via: 'Dashboard' } },
    ]);
  });

  it('gives a Timeout Members user 403 on the page and every form, and changes nothing', async () => {
    const guild = await settingsGuild();
    const helper = snowflake();
    const timeoutRole = snowflake();
    const seed = seenSeed(guild);
    seed.roles.push({
      id: timeoutRole,
      name: 'helper',
      position: 3,
      permissions: String(PermissionFlagsBits.ModerateMembers),
    });
    seed.members.push({ user: seedUser(helper, 'helper'), roles: [timeoutRole] });
    await putGuild(guild.guildId, seed);
    const session = await signIn(guild, helper);
    // They may read cases, so the picker lists this server — but its settings are not theirs.
    const picker = await (await get('/dashboard', session.cookie)).text();
    expect(picker).toContain(`/dashboard/guilds/${guild.guildId}/cases`);
    expect((await get(settingsUrl(guild), session.cookie)).status).toBe(403);
    const unchanged = await snapshot(guild);
    const forms: [string, Record<string, string>][] = [
      ['modlog', { channel: guild.channelId }],
      ['escalation', { warnings: '3', within: '7d', action: 'kick' }],
      ['reasons', { name: 'spam', text: 'Spamming' }],
    ];
    for (const [path, fields] of forms) {
      const response = await post(`${settingsUrl(guild)}/${path}`, fields, session);
      expect(response.status, path).toBe(403);
    }
    expect(await snapshot(guild)).toEqual(unchanged);
  });

  it('refuses a POST without the CSRF token, with a wrong one, or from another origin', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.moderatorId);
    const unchanged = await snapshot(guild);
    const url = `${settingsUrl(guild)}/reasons`;
    const fields = { name: 'spam', text: 'Spamming' };
    expect((await post(url, fields, { ...session, csrf: null })).status).toBe(403);
    expect((await post(url, fields, { ...session, csrf: `${session.csrf}x` })).status).toBe(403);
    expect((await post(url, fields, { ...session, origin: 'https://evil.example' })).status).toBe(403);
    expect(
      (await post(`${settingsUrl(guild)}/modlog`, { channel: guild.channelId }, { ...session, csrf: null }))
        .status,
    ).toBe(403);
    expect(await snapshot(guild)).toEqual(unchanged);
  });

  it('answers refused input with 400 and the slash command’s own words, changing nothing', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.moderatorId);
    const unchanged = await snapshot(guild);
    const commandSays = async (name: string, sub: string, options: Parameters<typeof subcommand>[1]) =>
      (await runCommand({ guild, name, options: [subcommand(sub, options)] })).body.data?.content ?? '';
    // Refusals answer as any refused change does (page-kit.ts refusalOf): bad input 400, nothing there 404.
    const cases: [string, Record<string, string>, Promise<string>, number?][] = [
      [
        'reasons',
        { name: 'two words', text: 'Spamming' },
        commandSays('reasons', 'add', [stringOption('name', 'two words'), stringOption('text', 'Spamming')]),
      ],
      [
        'reasons',
        { name: 'spam', text: '   ' },
        commandSays('reasons', 'add', [stringOption('name', 'spam'), stringOption('text', '   ')]),
      ],
      [
        'reasons/remove',
        { name: 'nothing-here' },
        commandSays('reasons', 'remove', [stringOption('name', 'nothing-here')]),
        404,
      ],
      [
        'escalation',
        { warnings: '1', within: '7d', action: 'kick' },
        commandSays('escalation', 'add', [
          integerOption('warnings', 1),
          stringOption('within', '7d'),
          stringOption('action', 'kick'),
        ]),
      ],
      [
        'escalation',
        { warnings: '3', within: '7d', action: 'mute' },
        commandSays('escalation', 'add', [
          integerOption('warnings', 3),
          stringOption('within', '7d'),
          stringOption('action', 'mute'),
        ]),
      ],
      [
        'escalation/remove',
        { policy: '7' },
        commandSays('escalation', 'remove', [integerOption('policy', 7)]),
        404,
      ],
    ];
    for (const [path, fields, said, status = 400] of cases) {
      const message = await said;
      expect(message, path).not.toBe('');
      const response = await post(`${settingsUrl(guild)}/${path}`, fields, session);
      const html = await response.text();
      expect(response.status, `${path} ${JSON.stringify(fields)}`).toBe(status);
      expect(html, message).toContain(`<p class="error" role="alert">${escapeHtml(message)}</p>`);
    }
    // The refused reason's text is kept in the form, escaped.
    const hostile = await post(
      `${settingsUrl(guild)}/reasons`,
      { name: 'a b', text: '<img src=x onerror=alert(1)>' },
      session,
    );
    expect(hostile.status).toBe(400);
    const hostileHtml = await hostile.text();
    expect(hostileHtml).not.toContain('<img src=x');
    expect(hostileHtml).toContain('&lt;img src=x onerror=alert(1)&gt;</textarea>');
    // A channel that is not one of this server's.
    const foreign = await post(`${settingsUrl(guild)}/modlog`, { channel: snowflake() }, session);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Choose one of this server’s text channels.');
    expect(await snapshot(guild)).toEqual(unchanged);
  });

  it('offers only channels where the bot may make the webhook, and refuses the others as /modlog set does', async () => {
    const guild = await settingsGuild();
    const closed = snowflake();
    const seed = seenSeed(guild);
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
      { id: snowflake(), name: 'voice', type: 2 },
    ];
    await putGuild(guild.guildId, seed);
    const session = await signIn(guild, guild.moderatorId);
    const html = await (await get(settingsUrl(guild), session.cookie)).text();
    expect(html).toContain(
      `<option value="${closed}" disabled>#closed — Lockdown lacks Manage Webhooks there</option>`,
    );
    expect(html).not.toContain('#voice');
    const unchanged = await snapshot(guild);
    const refused = await post(`${settingsUrl(guild)}/modlog`, { channel: closed }, session);
    expect(refused.status).toBe(403);
    const command = await runCommand({
      guild,
      name: 'modlog',
      options: [subcommand('set', [channelOption('channel', closed)])],
    });
    // The command's own words, its channel mention shown as the dashboard shows mentions (#id).
    const said = `I need the **Manage Webhooks** permission in <#${closed}> to do that. Ask an admin to grant it to my role.`;
    expect(command.body.data?.content).toBe(said);
    expect(await refused.text()).toContain(escapeHtml(said.replace(`<#${closed}>`, `#${closed}`)));
    expect(await snapshot(guild)).toEqual(unchanged);
  });

  it('never shows text from the URL: an unknown notice key shows nothing', async () => {
    const guild = await settingsGuild();
    const session = await signIn(guild, guild.moderatorId);
    const response = await get(`${settingsUrl(guild)}?done=%3Cb%3Ehello%3C%2Fb%3E`, session.cookie);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).not.toContain('hello');
    expect(html).not.toContain('role="status"');
  });
});
