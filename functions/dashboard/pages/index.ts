// The dashboard's reading pages, mounted by the sign-in (functions/dashboard/dashboard-app.ts) at
// /dashboard behind its session middleware: the server picker, a server's cases, one case. Every
// guild route asks `requireGuild(…, 'MODERATE_MEMBERS')` first — Discord is asked again on every
// request — and only then reads the database; a query string that does not parse is answered 400
// before anything is read.
import type { Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MAX_CASE_NUMBER } from '../../../shared/commands/limits.ts';
import type { DashboardEnv, DashboardGuild } from '../context.ts';
import { readCase, readCasesPage } from './case-data.ts';
import { renderCasePage } from './case-view.ts';
import { parseCasesQuery } from './cases-query.ts';
import { pagePosition, renderCasesPage } from './cases-view.ts';
import { type Html, type LayoutUser, messagePage } from './layout.ts';
import { renderPicker } from './picker.ts';

type PageContext = Context<DashboardEnv>;

const READ_PERMISSION = 'MODERATE_MEMBERS';

function layoutUser(c: PageContext): LayoutUser {
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

function page(c: PageContext, body: Html, status: 200 | 400 | 403 | 404 = 200) {
  c.header('content-security-policy', PAGE_CSP);
  return c.html(body, status);
}

/** The guild, or a 403 page when the user may not read its cases (requireGuild throws 403). */
async function guildOrForbidden(c: PageContext, guildId: string): Promise<DashboardGuild | Response> {
  try {
    return await c.var.session.requireGuild(guildId, READ_PERMISSION);
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403)
      return page(
        c,
        messagePage(
          'Not allowed',
          layoutUser(c),
          'You cannot read the cases of this server: Lockdown must be in it, and you need the Timeout Members permission there.',
        ),
        403,
      );
    throw error;
  }
}

const CASE_NUMBER = /^[1-9]\d{0,9}$/;

export function registerPages(app: Hono<DashboardEnv>): void {
  app.get('/dashboard', async (c) => {
    const guilds = await c.var.session.guilds(READ_PERMISSION);
    return page(c, renderPicker(layoutUser(c), guilds));
  });

  app.get('/dashboard/guilds/:guildId/cases', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'));
    if (guild instanceof Response) return guild;
    const parsed = parseCasesQuery(new URL(c.req.url).searchParams);
    if (!parsed.ok) return page(c, messagePage('Bad search', layoutUser(c), parsed.error), 400);
    const found = await readCasesPage(c.var.services.db, guild.id, parsed.query);
    return page(
      c,
      renderCasesPage(layoutUser(c), {
        guild,
        query: parsed.query,
        rows: found.rows,
        position: pagePosition(parsed.query, found.more),
      }),
    );
  });

  app.get('/dashboard/guilds/:guildId/cases/:caseNumber', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'));
    if (guild instanceof Response) return guild;
    const raw = c.req.param('caseNumber');
    const notFound = () =>
      page(c, messagePage('No such case', layoutUser(c), `This server has no case #${raw}.`), 404);
    if (!CASE_NUMBER.test(raw) || Number(raw) > MAX_CASE_NUMBER) return notFound();
    const detail = await readCase(c.var.services.db, guild.id, Number(raw));
    if (!detail) return notFound();
    return page(c, renderCasePage(layoutUser(c), { ...detail, guild }));
  });
}
