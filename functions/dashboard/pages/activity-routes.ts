// The activity page and a member's history page, mounted beside the cases pages (index.ts). Both
// need MODERATE_MEMBERS (asked of Discord on every request, page-kit.ts), and a path or query that
// does not parse is answered 400 before anything is read.
import type { Hono } from 'hono';
import { isSnowflake } from '../../../shared/snowflakes.ts';
import type { DashboardEnv } from '../context.ts';
import { readActivity } from './activity-data.ts';
import { activityWindow } from './activity-series.ts';
import { renderActivityPage } from './activity-view.ts';
import { parseMemberQuery } from './cases-query.ts';
import { pagePosition } from './cases-view.ts';
import { messagePage } from './layout.ts';
import { readMemberPage } from './member-data.ts';
import { renderMemberPage } from './member-view.ts';
import { guildOrForbidden, layoutUser, page } from './page-kit.ts';

export function registerActivityPages(app: Hono<DashboardEnv>): void {
  app.get('/dashboard/guilds/:guildId/activity', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'));
    if (guild instanceof Response) return guild;
    if (new URL(c.req.url).search !== '')
      return page(
        c,
        messagePage('Bad address', layoutUser(c), 'The activity page takes no parameters.'),
        400,
      );
    const activity = await readActivity(c.var.services.db, guild.id, activityWindow(new Date()));
    return page(c, renderActivityPage(layoutUser(c), { ...activity, guild }));
  });

  app.get('/dashboard/guilds/:guildId/members/:userId', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'));
    if (guild instanceof Response) return guild;
    const userId = c.req.param('userId');
    if (!isSnowflake(userId))
      return page(
        c,
        messagePage(
          'Bad member',
          layoutUser(c),
          'A member is a Discord user id (a number of 17 to 20 digits).',
        ),
        400,
      );
    const parsed = parseMemberQuery(new URL(c.req.url).searchParams);
    if (!parsed.ok) return page(c, messagePage('Bad address', layoutUser(c), parsed.error), 400);
    const found = await readMemberPage(c.var.services.db, guild.id, userId, parsed.page);
    return page(
      c,
      renderMemberPage(layoutUser(c), {
        ...found,
        guild,
        userId,
        position: pagePosition({ page: parsed.page }, found.more),
      }),
    );
  });
}
