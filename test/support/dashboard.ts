// Signing in to the dashboard in the Worker's tests, the whole way a browser does it: /dashboard/login
// → the stand-in's authorize page → the sandbox user's pick → /dashboard/callback → the session cookie.
import { eq } from 'drizzle-orm';
import { dashboardSessions, guilds } from '../../db/schema.ts';
import { callWorker, type TestGuild, testDatabase } from './edge.ts';

export const WORKER = 'http://lockdown.test';

/** `name=value` of every Set-Cookie in a response. */
export function cookiesOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Lockdown known to be in a guild (its guilds row), so sign-in needs no membership probe (dashboard-session.ts). */
export async function markLockdownIn(guildId: string): Promise<void> {
  await testDatabase().insert(guilds).values({ guildId }).onConflictDoNothing();
}

/** Runs login → authorize → callback; returns the callback's response and the login's state cookie. */
export async function completeLogin(userId: string, tamper?: (callback: URL) => void) {
  const login = await callWorker(new Request(`${WORKER}/dashboard/login`));
  const state = cookiesOf(login).lockdown_oauth_state ?? '';
  const authorize = new URL(login.headers.get('location') ?? '');
  const pageResponse = await fetch(authorize);
  if (pageResponse.status !== 200) throw new Error(`authorize page: ${pageResponse.status}`);
  await pageResponse.text();
  const form = new URLSearchParams(authorize.searchParams);
  form.set('user_id', userId);
  const picked = await fetch(authorize, { method: 'POST', body: form, redirect: 'manual' });
  const callback = new URL(picked.headers.get('location') ?? '');
  tamper?.(callback);
  const response = await callWorker(
    new Request(callback, { headers: { cookie: `lockdown_oauth_state=${state}` } }),
  );
  return { login, authorize, response };
}

/** Signs `userId` in; Lockdown is marked as in `guild`. The cookie header and the CSRF token. */
export async function signIn(guild: TestGuild, userId: string): Promise<{ cookie: string; csrf: string }> {
  await markLockdownIn(guild.guildId);
  const { response } = await completeLogin(userId);
  const value = cookiesOf(response).lockdown_session;
  if (!value) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const id = value.slice(0, value.lastIndexOf('.'));
  const [row] = await testDatabase().select().from(dashboardSessions).where(eq(dashboardSessions.id, id));
  return { cookie: `lockdown_session=${value}`, csrf: row?.csrfToken ?? '' };
}

/** A GET of the Worker's `path` with the session's cookie (without: signed out). */
export const getPage = (path: string, cookie?: string) =>
  callWorker(new Request(`${WORKER}${path}`, { headers: cookie ? { cookie } : {} }));

/** The page's HTML; throws with its start when it is not a 200. */
export async function pageHtml(path: string, cookie: string): Promise<string> {
  const response = await getPage(path, cookie);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${html.slice(0, 300)}`);
  return html;
}

/** The case numbers a cases page lists, in order. */
export const caseNumbersOf = (html: string) =>
  [...html.matchAll(/>#(\d+)<\/a><\/td>/g)].map((m) => Number(m[1]));
