// What every dashboard page is handed (the contract between the dashboard's sign-in and its pages):
// the signed-in user, read from their server-side session on every request, and the one way to
// reach a server — `requireGuild`, which asks Discord (`GET /users/@me/guilds` with the user's
// token) whether the user holds the permission there and whether Lockdown is in it, on every
// request: the cookie names a session, it proves nothing about permissions.
import type { PermissionName } from '../../shared/permissions.ts';
import type { Env } from '../env.ts';
import type { Services } from '../services.ts';

export interface DashboardUser {
  id: string;
  username: string;
  globalName: string | null;
}

/** A server as the dashboard shows it: one the user may open, with Lockdown in it. */
export interface DashboardGuild {
  id: string;
  name: string;
  icon: string | null;
  /** The user's permissions there, as Discord computed them (a decimal string). */
  permissions: string;
}

export interface DashboardSession {
  user: DashboardUser;
  /** The anti-CSRF token every state-changing form and request must carry (`_csrf`). */
  csrfToken: string;
  /** The servers the user may open with `permission` (MODERATE_MEMBERS to read cases). */
  guilds(permission: PermissionName): Promise<DashboardGuild[]>;
  /** The server if the user may open it with `permission`; throws HTTPException 403 otherwise. */
  requireGuild(guildId: string, permission: PermissionName): Promise<DashboardGuild>;
}

/** The Hono environment of the dashboard's routes (`/dashboard/*`). */
export interface DashboardEnv {
  Bindings: Env;
  Variables: { services: Services; session: DashboardSession };
}
