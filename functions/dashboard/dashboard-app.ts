// The dashboard's sign-in (mounted by app.ts): Login with Discord (OAuth2 authorization code with
// `state`), the callback that makes a server-side session (dashboard_sessions) and its signed
// HttpOnly cookie, logout, and the middleware every other /dashboard route runs behind: no valid
// session → the login page; every non-GET request must carry the session's CSRF token and, when the
// browser sends Origin, come from our own origin. It hands pages a DashboardSession (context.ts)
// whose server list is re-read from Discord with the user's token once per request
// (dashboard-session.ts).
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { dashboardSessions } from '../../db/schema.ts';
import type { GuildFactsCache } from '../discord/guild-directory.ts';
import { DEFAULT_DISCORD_API_BASE } from '../env.ts';
import { createServices } from '../services.ts';
import type { DashboardEnv } from './context.ts';
import { logFailure, SESSION_COOKIE, sessionFor } from './dashboard-session.ts';
import { authorizeUrl, currentUser, exchangeCode } from './discord-oauth.ts';
import { registerPages } from './pages/index.ts';
import { messagePage } from './pages/layout.ts';
import { page } from './pages/page-kit.ts';
import { randomToken, signSessionId, verifySessionCookie } from './session-cookie.ts';

const STATE_COOKIE = 'lockdown_oauth_state';
export const SESSION_LIFETIME_S = 7 * 24 * 3600;
const STATE_LIFETIME_S = 600;

type DashboardContext = Context<DashboardEnv>;

/** Secure everywhere but plain http on localhost (local development; browsers drop Secure there). */
function secureCookie(c: DashboardContext): boolean {
  const url = new URL(c.req.url);
  return !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

const apiBase = (c: DashboardContext) => c.env.DISCORD_API_BASE || DEFAULT_DISCORD_API_BASE;
const callbackUrl = (c: DashboardContext) => new URL('/dashboard/callback', c.req.url).toString();
const sessionSecret = (c: DashboardContext) => {
  const secret = c.env.DASHBOARD_SESSION_SECRET;
  if (!secret) throw new HTTPException(503, { message: 'dashboard is not configured' });
  return secret;
};

async function loadSession(c: DashboardContext) {
  const id = await verifySessionCookie(getCookie(c, SESSION_COOKIE), sessionSecret(c));
  if (!id) return null;
  const [row] = await c.var.services.db
    .select()
    .from(dashboardSessions)
    .where(and(eq(dashboardSessions.id, id), gt(dashboardSessions.expiresAt, c.var.services.now())));
  return row ?? null;
}

/** A state-changing request is ours: the session's CSRF token, and our Origin when one is sent. */
async function isOwnRequest(c: DashboardContext, csrfToken: string): Promise<boolean> {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) return false;
  let sent = c.req.header('x-csrf-token');
  if (sent === undefined) {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const value = (await c.req.parseBody())._csrf;
      sent = typeof value === 'string' ? value : undefined;
    }
  }
  return sent === csrfToken;
}

/** A page saying why a state-changing request was refused (nothing was changed). */
const refusal = (c: DashboardContext, status: 401 | 403, title: string, message: string) =>
  page(c, messagePage(title, null, message), status);

export function createDashboardApp(guildCache: GuildFactsCache) {
  const app = new Hono<DashboardEnv>();
  // Servers the bot was found not to be in, until when (this isolate's; see probeMembership).
  const absent = new Map<string, number>();

  app.use('/dashboard/*', async (c, next) => {
    c.set('services', createServices(c.env, { guildCache }));
    await next();
  });

  app.get('/dashboard/login', (c) => {
    const state = randomToken(16);
    setCookie(c, STATE_COOKIE, state, {
      httpOnly: true,
      secure: secureCookie(c),
      sameSite: 'Lax',
      path: '/dashboard',
      maxAge: STATE_LIFETIME_S,
    });
    return c.redirect(authorizeUrl(apiBase(c), c.env.DISCORD_APPLICATION_ID, callbackUrl(c), state), 302);
  });

  app.get('/dashboard/callback', async (c) => {
    const expected = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: '/dashboard' });
    const code = c.req.query('code');
    if (!expected || c.req.query('state') !== expected || !code) {
      return c.text('The sign-in could not be checked (it expired or came from elsewhere). Try again.', 400);
    }
    const base = apiBase(c);
    const token = await exchangeCode(
      base,
      { id: c.env.DISCORD_APPLICATION_ID, secret: c.env.DISCORD_CLIENT_SECRET ?? '' },
      code,
      callbackUrl(c),
    ).catch(logFailure);
    const user = token ? await currentUser(base, token.access_token).catch(logFailure) : null;
    if (!token || !user) return c.text('Discord did not confirm the sign-in. Try again.', 502);
    const lifetime = Math.min(SESSION_LIFETIME_S, token.expires_in);
    const id = randomToken(32);
    const now = c.var.services.now();
    // Expired sessions are swept at each sign-in (indexed on expires_at); none is ever read anyway.
    await c.var.services.db.delete(dashboardSessions).where(lt(dashboardSessions.expiresAt, now));
    await c.var.services.db.insert(dashboardSessions).values({
      id,
      userId: user.id,
      username: user.username,
      globalName: user.global_name ?? null,
      accessToken: token.access_token,
      expiresAt: new Date(now.getTime() + lifetime * 1000),
      csrfToken: randomToken(32),
    });
    setCookie(c, SESSION_COOKIE, await signSessionId(id, sessionSecret(c)), {
      httpOnly: true,
      secure: secureCookie(c),
      sameSite: 'Lax',
      path: '/',
      maxAge: lifetime,
    });
    return c.redirect('/dashboard', 302);
  });

  // Every other dashboard route: a signed-in session, and CSRF checks on anything but GET/HEAD.
  const signedIn = async (c: DashboardContext, next: () => Promise<void>) => {
    const row = await loadSession(c);
    if (!row) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect('/dashboard/login', 302);
      return refusal(
        c,
        401,
        'Signed out',
        'You are not signed in any more, so nothing was changed. Sign in and try again.',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !(await isOwnRequest(c, row.csrfToken)))
      return refusal(
        c,
        403,
        'Request refused',
        'This request did not come from a Lockdown dashboard page, so nothing was changed. Go back to the dashboard and try again there.',
      );
    c.set('session', sessionFor(c.var.services, row, apiBase(c), absent));
    await next();
  };
  app.use('/dashboard/*', signedIn);

  app.post('/dashboard/logout', async (c) => {
    const id = await verifySessionCookie(getCookie(c, SESSION_COOKIE), sessionSecret(c));
    if (id) await c.var.services.db.delete(dashboardSessions).where(eq(dashboardSessions.id, id));
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookie(c) });
    return c.redirect('/dashboard/login', 303);
  });

  registerPages(app);
  return app;
}
