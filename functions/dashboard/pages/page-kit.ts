// What every dashboard page route shares: who the header shows, the Content-Security-Policy every
// page is sent with, and the one way a route reaches a server — `guildOrForbidden`, which asks
// Discord (through the session) whether the user holds the page's permission there and answers the
// 403 page when not. Route files (cases, activity, members, appeals, settings) build on these.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type PermissionName, permissionLabel } from '../../../shared/permissions.ts';
import { DiscordApiError } from '../../discord/rest.ts';
import { CommandError, type CommandErrorKind, describeFailure } from '../../interactions/errors.ts';
import type { DashboardEnv, DashboardGuild } from '../context.ts';
import { type Html, type LayoutUser, messagePage } from './layout.ts';

export type PageContext = Context<DashboardEnv>;

/** The permission a page needs to be read: MODERATE_MEMBERS for cases, members and activity. */
export const READ_PERMISSION: PermissionName = 'MODERATE_MEMBERS';

export function layoutUser(c: PageContext): LayoutUser {
  const { user, csrfToken } = c.var.session;
  return { name: user.globalName ?? user.username, csrfToken };
}

/**
 * What a page may load: nothing but its own inline CSS and Discord's CDN icons; no script, no
 * framing. A second line of defence behind the templates' escaping. No `form-action`: browsers
 * apply it to the redirects after a submit, and logout's lead on to Discord's authorize page.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https://cdn.discordapp.com; frame-ancestors 'none'; base-uri 'none'";

export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 502 | 503;

export function page(c: PageContext, body: Html, status: PageStatus = 200) {
  c.header('content-security-policy', PAGE_CSP);
  return c.html(body, status);
}

/** The guild, or a 403 page naming what is missing when the user may not open it with `permission`. */
export async function guildOrForbidden(
  c: PageContext,
  guildId: string,
  permission: PermissionName = READ_PERMISSION,
): Promise<DashboardGuild | Response> {
  try {
    return await c.var.session.requireGuild(guildId, permission);
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403)
      return page(
        c,
        messagePage(
          'Not allowed',
          layoutUser(c),
          `You cannot open this page: Lockdown must be in this server, and you need the ${permissionLabel(permission)} permission there.`,
        ),
        403,
      );
    throw error;
  }
}

const refusalStatuses: Record<CommandErrorKind, PageStatus> = {
  invalid_option: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 409,
};

/**
 * A refused change's status and words — the commands' own (`describeFailure`, the one place
 * failures become words) — or null when the error is no refusal (a bug: the app's 500).
 */
export function refusalOf(error: unknown): { status: PageStatus; message: string } | null {
  if (error instanceof CommandError) return { status: refusalStatuses[error.kind], message: error.message };
  if (error instanceof DiscordApiError) return { status: 502, message: describeFailure(error) };
  return null;
}
