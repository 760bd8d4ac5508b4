// The dashboard's reading pages, mounted by the sign-in (functions/dashboard/dashboard-app.ts) at
// /dashboard behind its session middleware: the server picker, a server's cases, one case. Every
// guild route asks `requireGuild(…, 'MODERATE_MEMBERS')` first — Discord is asked again on every
// request — and only then reads the database; a query string that does not parse is answered 400
// before anything is read.
import type { Hono } from 'hono';
import { MAX_CASE_NUMBER } from '../../../shared/commands/limits.ts';
import type { DashboardEnv } from '../context.ts';
import { registerActivityPages } from './activity-routes.ts';
import { registerAppeals } from './appeals-routes.ts';
import { readCase, readCasesPage } from './case-data.ts';
import { renderCasePage } from './case-view.ts';
import { parseCasesQuery } from './cases-query.ts';
import { pagePosition, renderCasesPage } from './cases-view.ts';
import { messagePage } from './layout.ts';
import { guildOrForbidden, layoutUser, page, READ_PERMISSION } from './page-kit.ts';
import { renderPicker } from './picker.ts';
import { registerSettings } from './settings-routes.ts';

const CASE_NUMBER = /^[1-9]\d{0,9}$/;

export function registerPages(app: Hono<DashboardEnv>): void {
  registerActivityPages(app);
  registerAppeals(app);
  registerSettings(app);
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
        names: found.names,
        matched: found.matched,
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
