// A signed-in user's session as the pages see it (context.ts DashboardSession): who they are, and
// the servers they may open — theirs (Discord's `GET /users/@me/guilds` with their token, once per
// request) with the page's permission, where Lockdown is. A server Lockdown is in is known by its
// `guilds` row; one just added and never used has none, so it is asked of Discord with the bot token
// (probeMembership). A token Discord no longer accepts ends the session.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { eq, inArray } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import { dashboardSessions, guilds as guildRows } from '../../db/schema.ts';
import { hasPermission, type PermissionName } from '../../shared/permissions.ts';
import { getMember } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import type { DashboardGuild, DashboardSession } from './context.ts';
import { currentUserGuilds, DiscordOAuthError } from './discord-oauth.ts';

export const SESSION_COOKIE = 'lockdown_session';

/** Discord refused or did not answer: logged by kind and status only (never a code or token). */
export function logFailure(error: unknown): null {
  console.error(`dashboard sign-in: ${error instanceof DiscordOAuthError ? error.message : 'failed'}`);
  return null;
}

/** Ends a session whose token Discord no longer accepts: the row, the cookie, and off to login. */
async function signedOut(services: Services, sessionId: string): Promise<Response> {
  await services.db.delete(dashboardSessions).where(eq(dashboardSessions.id, sessionId));
  return new Response(null, {
    status: 302,
    headers: {
      location: '/dashboard/login',
      'set-cookie': `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`,
    },
  });
}

/** Most servers without a `guilds` row one request asks Discord about. */
export const MEMBERSHIP_PROBES_PER_REQUEST = 5;
/** How long a server the bot was found not to be in is not asked about again (per isolate). */
const ABSENT_MEMO_MS = 5 * 60_000;

/** The permissions that open some dashboard page: only servers where the user holds one are probed. */
const DASHBOARD_PERMISSIONS: readonly PermissionName[] = ['MODERATE_MEMBERS', 'MANAGE_GUILD'];

/**
 * Whether the bot is in each of `guildIds` (servers with no `guilds` row yet: added, never used),
 * asked with the bot token — `GET /guilds/{id}/members/{bot}`, Missing Access when it is not. A
 * server it is in gets its row, so it is asked once; one it is not in is remembered for a while.
 * A Discord failure just leaves the server out of this page.
 */
async function probeMembership(
  services: Services,
  guildIds: readonly string[],
  absent: Map<string, number>,
): Promise<string[]> {
  const now = services.now().getTime();
  const asked = guildIds.filter((id) => (absent.get(id) ?? 0) <= now).slice(0, MEMBERSHIP_PROBES_PER_REQUEST);
  const found = await Promise.all(
    asked.map(async (guildId) => {
      try {
        await getMember(services.discord, guildId, services.applicationId);
        return guildId;
      } catch (error) {
        if (lacksAccess(error)) absent.set(guildId, now + ABSENT_MEMO_MS);
        else
          console.error(
            `dashboard: could not check whether Lockdown is in ${guildId}: ${errorForLog(error)}`,
          );
        return null;
      }
    }),
  );
  const present = found.filter((id): id is string => id !== null);
  if (present.length > 0)
    await services.db
      .insert(guildRows)
      .values(present.map((guildId) => ({ guildId })))
      .onConflictDoNothing();
  return present;
}

const lacksAccess = (error: unknown) =>
  error instanceof DiscordApiError &&
  (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.UnknownGuild);

/**
 * The servers a user may open: theirs with `permission` (Administrator implies all), where Lockdown
 * is — known by a `guilds` row, which every server Lockdown has acted in has (one indexed query);
 * a server of theirs without one is asked of Discord (probeMembership), so one just added shows.
 */
export function sessionFor(
  services: Services,
  row: typeof dashboardSessions.$inferSelect,
  base: string,
  absent: Map<string, number>,
): DashboardSession {
  let listed: Promise<DashboardGuild[]> | undefined;
  const withLockdown = () =>
    (listed ??= (async () => {
      const mine = await currentUserGuilds(base, row.accessToken).catch(async (error: unknown) => {
        // 401: the user revoked the app or the token lapsed — the session is over; sign in again.
        if (error instanceof DiscordOAuthError && error.status === 401) {
          throw new HTTPException(302, { res: await signedOut(services, row.id) });
        }
        logFailure(error);
        throw new HTTPException(502, { message: 'Discord did not answer; try again.' });
      });
      if (mine.length === 0) return [];
      const known = await services.db
        .select({ id: guildRows.guildId })
        .from(guildRows)
        .where(
          inArray(
            guildRows.guildId,
            mine.map((g) => g.id),
          ),
        );
      const present = new Set(known.map((k) => k.id));
      const unknown = mine
        .filter(
          (g) => !present.has(g.id) && DASHBOARD_PERMISSIONS.some((p) => hasPermission(g.permissions, p)),
        )
        .map((g) => g.id);
      if (unknown.length > 0)
        for (const id of await probeMembership(services, unknown, absent)) present.add(id);
      return mine
        .filter((g) => present.has(g.id))
        .map((g) => ({ id: g.id, name: g.name, icon: g.icon, permissions: g.permissions }));
    })());
  const guilds = async (permission: PermissionName) =>
    (await withLockdown()).filter((g) => hasPermission(g.permissions, permission));
  return {
    user: { id: row.userId, username: row.username, globalName: row.globalName },
    csrfToken: row.csrfToken,
    guilds,
    async requireGuild(guildId, permission) {
      const guild = (await guilds(permission)).find((g) => g.id === guildId);
      if (!guild) throw new HTTPException(403, { message: 'forbidden' });
      return guild;
    },
  };
}
