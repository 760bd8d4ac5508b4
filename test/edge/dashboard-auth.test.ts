// The dashboard's sign-in in workerd against the Discord stand-in: the whole Login with Discord,
// forged and expired cookies, a wrong state, logout with and without CSRF, and requireGuild's 403
// for a member without the permission. The user's access token never reaches a response.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { dashboardSessions, guilds } from '../../db/schema.ts';
import { completeLogin, cookiesOf, getPage as get, signIn, WORKER } from '../support/dashboard.ts';
import {
  appId,
  callWorker,
  discordRequests,
  putGuild,
  seedGuild,
  snowflake,
  testDatabase,
  testGuildSeed,
} from '../support/edge.ts';

async function guildRowOf(guildId: string) {
  const [row] = await testDatabase().select().from(guilds).where(eq(guilds.guildId, guildId));
  return row;
}

async function accessTokensOf(userId: string): Promise<string[]> {
  const rows = await testDatabase()
    .select()
    .from(dashboardSessions)
    .where(eq(dashboardSessions.userId, userId));
  return rows.map((row) => row.accessToken);
}

describe('Login with Discord', () => {
  it('signs a moderator in and the server picker lists their server', async () => {
    const guild = await seedGuild();
    const { login, authorize } = await completeLogin(guild.moderatorId);
    expect(login.status).toBe(302);
    expect(authorize.origin + authorize.pathname).toMatch(/\/oauth2\/authorize$/);
    expect(authorize.searchParams.get('scope')).toBe('identify guilds');
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(login.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);

    const { cookie } = await signIn(guild, guild.moderatorId);
    const picker = await get('/dashboard', cookie);
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain(guild.guildId);
    for (const token of await accessTokensOf(guild.moderatorId)) expect(html).not.toContain(token);
  });

  it('sets a signed HttpOnly, SameSite=Lax cookie that lasts no longer than the token', async () => {
    const guild = await seedGuild();
    const { response } = await completeLogin(guild.moderatorId);
    expect(response.status).toBe(302);
    const line = response.headers.getSetCookie().find((l) => l.startsWith('lockdown_session=')) ?? '';
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Max-Age=604800/);
    // Secure outside plain-http localhost (the tests' host is http://lockdown.test).
    expect(line).toMatch(/Secure/);
    const local = await callWorker(new Request('http://localhost:8787/dashboard/login'));
    expect(local.headers.getSetCookie().join()).not.toMatch(/Secure/);
    const body = await response.text();
    for (const token of await accessTokensOf(guild.moderatorId)) {
      expect(body).not.toContain(token);
      expect(line).not.toContain(token);
    }
  });

  it('makes no session when the state does not match', async () => {
    const guild = await seedGuild();
    const { response } = await completeLogin(guild.targetId, (url) =>
      url.searchParams.set('state', 'forged'),
    );
    expect(response.status).toBe(400);
    expect(cookiesOf(response).lockdown_session).toBeUndefined();
    expect(await accessTokensOf(guild.targetId)).toEqual([]);
  });

  it('sends a forged, unknown or expired session to the login page', async () => {
    const guild = await seedGuild();
    const { cookie } = await signIn(guild, guild.moderatorId);
    const forged = `${cookie.slice(0, -3)}abc`;
    for (const bad of [undefined, forged, 'lockdown_session=nope']) {
      const response = await get('/dashboard', bad);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/dashboard/login');
    }
    const id = cookie.slice('lockdown_session='.length, cookie.lastIndexOf('.'));
    await testDatabase()
      .update(dashboardSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(dashboardSessions.id, id));
    const expired = await get('/dashboard', cookie);
    expect(expired.headers.get('location')).toBe('/dashboard/login');
  });
});

describe('a token Discord no longer accepts', () => {
  it('ends the session and sends the user to sign in again', async () => {
    const guild = await seedGuild();
    const { cookie } = await signIn(guild, guild.moderatorId);
    const id = cookie.slice('lockdown_session='.length, cookie.lastIndexOf('.'));
    // As if the user revoked the app: the stand-in knows no such token and answers 401.
    await testDatabase()
      .update(dashboardSessions)
      .set({ accessToken: 'revoked-token' })
      .where(eq(dashboardSessions.id, id));
    const response = await get('/dashboard', cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/dashboard/login');
    expect(response.headers.getSetCookie().join()).toMatch(/lockdown_session=;/);
    const rows = await testDatabase().select().from(dashboardSessions).where(eq(dashboardSessions.id, id));
    expect(rows).toEqual([]);
  });
});

describe('logout and CSRF', () => {
  it('refuses a logout without the CSRF token or from another origin, and logs out with it', async () => {
    const guild = await seedGuild();
    const { cookie, csrf } = await signIn(guild, guild.moderatorId);
    const post = (headers: Record<string, string>, body?: string) =>
      callWorker(
        new Request(`${WORKER}/dashboard/logout`, { method: 'POST', headers: { cookie, ...headers }, body }),
      );
    expect((await post({})).status).toBe(403);
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, '_csrf=wrong')).status).toBe(
      403,
    );
    const crossSite = await post({ 'x-csrf-token': csrf, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    // A page that says what happened, not the browser's bare error.
    expect(await crossSite.text()).toContain(
      'did not come from a Lockdown dashboard page, so nothing was changed',
    );
    expect((await get('/dashboard', cookie)).status).toBe(200);

    const out = await post(
      { 'content-type': 'application/x-www-form-urlencoded', origin: WORKER },
      `_csrf=${csrf}`,
    );
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().join()).toMatch(/lockdown_session=;/);
    expect(await accessTokensOf(guild.moderatorId)).toEqual([]);
    expect((await get('/dashboard', cookie)).headers.get('location')).toBe('/dashboard/login');
  });
});

describe('who sees what', () => {
  it('answers 403 for a server where the member lacks the permission, and does not list it', async () => {
    const guild = await seedGuild();
    const { cookie } = await signIn(guild, guild.targetId);
    const picker = await get('/dashboard', cookie);
    expect(await picker.text()).not.toContain(guild.guildId);
    const cases = await get(`/dashboard/guilds/${guild.guildId}/cases`, cookie);
    expect(cases.status).toBe(403);
    const moderator = await signIn(guild, guild.moderatorId);
    const [token = ''] = await accessTokensOf(guild.moderatorId);
    const asModerator = async () =>
      (await discordRequests('/users/@me/guilds')).filter(
        (r) => r.headers.authorization === `Bearer ${token}`,
      ).length;
    const before = await asModerator();
    const page = await get(`/dashboard/guilds/${guild.guildId}/cases`, moderator.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(token);
    // Re-asked on every request, once per request however many checks the page makes.
    expect(await asModerator()).toBe(before + 1);
  });

  it('does not list a server Lockdown is not in', async () => {
    const guild = await seedGuild();
    // The same members and roles in a second server, which the bot was never added to.
    const elsewhere = { ...guild, guildId: snowflake() };
    await putGuild(elsewhere.guildId, { ...testGuildSeed(elsewhere), botAbsent: true });
    const { cookie } = await signIn(guild, guild.moderatorId);
    const html = await (await get('/dashboard', cookie)).text();
    expect(html).toContain(guild.guildId);
    expect(html).not.toContain(elsewhere.guildId);
    expect((await get(`/dashboard/guilds/${elsewhere.guildId}/cases`, cookie)).status).toBe(403);
    // Asked of Discord once, then remembered: the second page asked nothing more about it.
    const probes = await discordRequests(`/guilds/${elsewhere.guildId}/members/${appId()}`);
    expect(probes).toHaveLength(1);
    expect(await guildRowOf(elsewhere.guildId)).toBeUndefined();
  });

  it('lists a server Lockdown was just added to and has not acted in yet, and remembers it', async () => {
    const guild = await seedGuild();
    // The bot is a member, but no command has run there: no guilds row yet.
    const added = { ...guild, guildId: snowflake() };
    await putGuild(added.guildId, testGuildSeed(added));
    const { cookie } = await signIn(guild, guild.moderatorId);
    expect(await guildRowOf(added.guildId)).toBeUndefined();
    const html = await (await get('/dashboard', cookie)).text();
    expect(html).toContain(added.guildId);
    expect(await guildRowOf(added.guildId)).toBeDefined();
    expect((await get(`/dashboard/guilds/${added.guildId}/cases`, cookie)).status).toBe(200);
    expect(await discordRequests(`/guilds/${added.guildId}/members/${appId()}`)).toHaveLength(1);
  });
});
