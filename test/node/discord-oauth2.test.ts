// The Discord stand-in's OAuth2, as Discord documents it: the authorize page checks client_id,
// redirect_uri, response_type and scope and redirects back with code and state; POST /oauth2/token
// takes a form body with client credentials in the body or as Basic auth, spends each code once and
// refuses with OAuth2's `{error}`; the Bearer token reads /users/@me and /users/@me/guilds (with
// the member's computed permissions and `owner`) and opens no bot-only route.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../dev/discord/server.ts';
import { bits, snowflake } from './discord-client.ts';

const REDIRECT = 'http://app.test/callback';
const SECRET = 'oauth-test-secret';
const appId = snowflake();
const botToken = `bot-${snowflake()}`;
let clock = Date.now();
let standIn: DiscordStandIn;
let origin: string;

const ids = {
  guild: snowflake(),
  owner: snowflake(),
  mod: snowflake(),
  member: snowflake(),
  admin: snowflake(),
};
const roles = { mod: snowflake(), admin: snowflake(), bot: snowflake() };

beforeAll(async () => {
  standIn = await startDiscordStandIn({
    botToken,
    applicationId: appId,
    rateLimits: false,
    clientSecret: SECRET,
    oauthRedirectUris: [REDIRECT],
    now: () => clock,
  });
  origin = new URL(standIn.apiBase).origin;
  const user = (id: string, username: string) => ({ id, username, global_name: null });
  const seeded = await fetch(`${standIn.controlUrl}/guilds/${ids.guild}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'OAuth Server',
      ownerId: ids.owner,
      roles: [
        { id: roles.mod, name: 'mod', position: 2, permissions: bits(PermissionFlagsBits.ModerateMembers) },
        { id: roles.admin, name: 'admin', position: 3, permissions: bits(PermissionFlagsBits.Administrator) },
        { id: roles.bot, name: 'bot', position: 4, permissions: bits(PermissionFlagsBits.BanMembers) },
      ],
      members: [
        { user: user(ids.owner, 'owner'), roles: [] },
        { user: user(ids.mod, 'mod'), roles: [roles.mod] },
        { user: user(ids.member, 'member'), roles: [] },
        { user: user(ids.admin, 'admin'), roles: [roles.admin] },
      ],
      botRoleIds: [roles.bot],
    }),
  });
  expect(seeded.ok).toBe(true);
});
afterAll(() => standIn.close());

const authorizeParams = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    client_id: appId,
    response_type: 'code',
    scope: 'identify guilds',
    redirect_uri: REDIRECT,
    state: 'xyz',
    ...overrides,
  });

/** Picks `userId` on the authorize page; returns the redirect's URL. */
async function authorize(userId: string, scope = 'identify guilds'): Promise<URL> {
  const form = authorizeParams({ scope, user_id: userId });
  const response = await fetch(`${origin}/oauth2/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

const exchange = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${standIn.apiBase}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });

const codeForm = (code: string) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: REDIRECT,
  client_id: appId,
  client_secret: SECRET,
});

async function tokenFor(userId: string, scope?: string): Promise<string> {
  const code = (await authorize(userId, scope)).searchParams.get('code') ?? '';
  const response = await exchange(codeForm(code));
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const asUser = (path: string, token: string) =>
  fetch(`${standIn.apiBase}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('GET /oauth2/authorize', () => {
  it('shows the page listing the users to sign in as', async () => {
    const response = await fetch(`${origin}/oauth2/authorize?${authorizeParams()}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(ids.mod);
    expect(html).toContain('name="state" value="xyz"');
  });

  it('refuses an unknown client, an unregistered redirect_uri, a bad response_type or scope', async () => {
    for (const [bad, message] of [
      [{ client_id: snowflake() }, 'Unknown Application'],
      [{ redirect_uri: 'http://evil.test/callback' }, 'Invalid OAuth2 redirect_uri'],
      [{ response_type: 'token' }, 'Invalid response_type'],
      [{ scope: 'identify nonsense' }, 'Invalid scope'],
    ] as const) {
      const response = await fetch(`${origin}/oauth2/authorize?${authorizeParams(bad)}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
  });

  it('redirects back with code and state, or access_denied on Cancel', async () => {
    const back = await authorize(ids.mod);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{20}$/);
    const cancelled = await fetch(`${origin}/oauth2/authorize`, {
      method: 'POST',
      body: authorizeParams({ cancel: '1' }),
      redirect: 'manual',
    });
    const url = new URL(cancelled.headers.get('location') ?? '');
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('code')).toBeNull();
  });
});

describe('POST /oauth2/token', () => {
  it('answers a Bearer token for a code, once', async () => {
    const code = (await authorize(ids.mod)).searchParams.get('code') ?? '';
    const first = await exchange(codeForm(code));
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'identify guilds' });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const again = await exchange(codeForm(code));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('takes the client credentials as Basic auth', async () => {
    const code = (await authorize(ids.mod)).searchParams.get('code') ?? '';
    const basic = Buffer.from(`${appId}:${SECRET}`).toString('base64');
    const response = await exchange(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { authorization: `Basic ${basic}` },
    );
    expect(response.status).toBe(200);
  });

  it('refuses a wrong secret, grant type, redirect_uri, an expired code, or a JSON body', async () => {
    const fresh = async () => (await authorize(ids.mod)).searchParams.get('code') ?? '';
    const wrongSecret = await exchange({ ...codeForm(await fresh()), client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await exchange({ ...codeForm(await fresh()), grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const redirect = await exchange({ ...codeForm(await fresh()), redirect_uri: 'http://app.test/other' });
    expect(await redirect.json()).toMatchObject({ error: 'invalid_grant' });

    const late = await fresh();
    clock += 11 * 60 * 1000;
    const expired = await exchange(codeForm(late));
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: 'invalid_grant' });

    const json = await fetch(`${standIn.apiBase}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(codeForm(await fresh())),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('Bearer tokens', () => {
  it('read the user and their guilds with permissions as Discord computes them', async () => {
    const me = await asUser('/users/@me', await tokenFor(ids.mod));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: ids.mod, username: 'mod' });

    const listed = async (userId: string) => {
      const response = await asUser('/users/@me/guilds', await tokenFor(userId));
      expect(response.status).toBe(200);
      const list = (await response.json()) as { id: string; owner: boolean; permissions: string }[];
      return list.find((guild) => guild.id === ids.guild);
    };
    expect(await listed(ids.mod)).toMatchObject({
      owner: false,
      permissions: bits(PermissionFlagsBits.ModerateMembers),
    });
    expect(await listed(ids.member)).toMatchObject({ owner: false, permissions: '0' });
    const owner = await listed(ids.owner);
    expect(owner?.owner).toBe(true);
    expect(BigInt(owner?.permissions ?? 0) & PermissionFlagsBits.Administrator).toBe(
      PermissionFlagsBits.Administrator,
    );
    const admin = await listed(ids.admin);
    expect(BigInt(admin?.permissions ?? 0) & PermissionFlagsBits.ManageGuild).toBe(
      PermissionFlagsBits.ManageGuild,
    );
  });

  it('need the scope of the route, and open no bot-only route', async () => {
    const identifyOnly = await tokenFor(ids.mod, 'identify');
    expect((await asUser('/users/@me', identifyOnly)).status).toBe(200);
    expect((await asUser('/users/@me/guilds', identifyOnly)).status).toBe(401);
    const token = await tokenFor(ids.mod);
    const botOnly = await asUser(`/guilds/${ids.guild}`, token);
    expect(botOnly.status).toBe(401);
    expect(await botOnly.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect((await asUser('/users/@me', 'not-a-token')).status).toBe(401);
  });

  it('leave the bot token answering for the bot', async () => {
    const me = await fetch(`${standIn.apiBase}/users/@me`, { headers: { authorization: `Bot ${botToken}` } });
    expect(await me.json()).toMatchObject({ id: appId });
    const guilds = await fetch(`${standIn.apiBase}/users/@me/guilds`, {
      headers: { authorization: `Bot ${botToken}` },
    });
    const list = (await guilds.json()) as { id: string; permissions: string }[];
    expect(list.find((guild) => guild.id === ids.guild)?.permissions).toBe(
      bits(PermissionFlagsBits.BanMembers),
    );
  });
});
