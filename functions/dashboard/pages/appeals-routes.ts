// The appeals queue's routes. GET lists a server's appeals to holders of Timeout Members; POST
// …/accept and …/deny decide one, for holders of Ban Members only (asked of Discord again on the
// request), through the same decideAppeal as the mod-log buttons (functions/appeals/). The appeal
// id from the URL is only a question: a non-UUID or another server's appeal is a 404. The deciding
// moderator is who Discord says they are in the server: their permissions there (from
// /users/@me/guilds), their member's roles and the bot's guild-wide permissions (read with the bot
// token), so /unban's permission and hierarchy checks run on them as they do on a button's click.
// A decision redirects back (303) with a fixed notice key; a refusal is its own page.
import type { Hono } from 'hono';
import { isUuid } from '../../../shared/uuids.ts';
import { decideAppeal } from '../../appeals/decide-appeal.ts';
import { getMember } from '../../discord/api.ts';
import { botGuildPermissions } from '../../moderation/bot-permissions.ts';
import type { ActingModerator } from '../../moderation/checks.ts';
import type { Services } from '../../services.ts';
import type { DashboardEnv, DashboardGuild, DashboardUser } from '../context.ts';
import { readAppealsPage } from './appeals-data.ts';
import { type AppealNotice, appealsHref, parseAppealsQuery } from './appeals-query.ts';
import { renderAppealsPage } from './appeals-view.ts';
import { discordText } from './format.ts';
import { messagePage } from './layout.ts';
import {
  guildOrForbidden,
  layoutUser,
  type PageContext,
  page,
  READ_PERMISSION,
  refusalOf,
} from './page-kit.ts';

/**
 * The signed-in user as the moderator of an action in `guild`. The bot's permissions are its
 * guild-wide ones (its roles and @everyone's, no channel's overwrites): the dashboard acts in no
 * channel, where a button's `app_permissions` are those of the mod-log channel.
 */
async function actingModerator(
  services: Services,
  guild: DashboardGuild,
  user: DashboardUser,
): Promise<ActingModerator> {
  const [member, appPermissions] = await Promise.all([
    getMember(services.discord, guild.id, user.id),
    botGuildPermissions(services, guild.id),
  ]);
  return {
    guild_id: guild.id,
    member: {
      user: { id: user.id, username: user.username },
      roles: member.roles,
      permissions: guild.permissions,
    },
    app_permissions: appPermissions,
  };
}

/** A refused or failed decision as its page; anything else is the app's 500. */
function refusal(c: PageContext, error: unknown) {
  const refused = refusalOf(error);
  if (!refused) throw error;
  return page(
    c,
    messagePage('Appeal not decided', layoutUser(c), discordText(refused.message)),
    refused.status,
  );
}

export function registerAppeals(app: Hono<DashboardEnv>): void {
  app.get('/dashboard/guilds/:guildId/appeals', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'), READ_PERMISSION);
    if (guild instanceof Response) return guild;
    const parsed = parseAppealsQuery(new URL(c.req.url).searchParams);
    if (!parsed.ok) return page(c, messagePage('Bad search', layoutUser(c), parsed.error), 400);
    const found = await readAppealsPage(c.var.services.db, guild.id, parsed.query);
    return page(c, renderAppealsPage(layoutUser(c), { ...found, guild, query: parsed.query }));
  });

  for (const verb of ['accept', 'deny'] as const) {
    app.post(`/dashboard/guilds/:guildId/appeals/:appealId/${verb}`, async (c) => {
      const guild = await guildOrForbidden(c, c.req.param('guildId'), 'BAN_MEMBERS');
      if (guild instanceof Response) return guild;
      const appealId = c.req.param('appealId');
      if (!isUuid(appealId))
        return page(c, messagePage('No such appeal', layoutUser(c), 'This server has no such appeal.'), 404);
      const { services, session } = c.var;
      try {
        await decideAppeal({
          services,
          appealId,
          accept: verb === 'accept',
          moderator: await actingModerator(services, guild, session.user),
          waitUntil: (promise) => c.executionCtx.waitUntil(promise),
        });
      } catch (error) {
        return refusal(c, error);
      }
      const notice: AppealNotice = verb === 'accept' ? 'accepted' : 'denied';
      return c.redirect(`${appealsHref(guild.id, 'all')}?notice=${notice}`, 303);
    });
  }
}
