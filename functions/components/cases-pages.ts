// The Previous/Next buttons under a /cases page (custom_id `cases:…`, case-filters.ts). Nothing in
// the id is trusted: every part is parsed as strictly as the typed options, the search runs in the
// server the click came from, and the presser must hold the permission /cases takes. The answer
// replaces the page in place (type 7); a page that has emptied meanwhile (its cases deleted) is
// said in a new ephemeral message and the page stays as it was.
import { parsePageCustomId } from '../commands/cases/case-filters.ts';
import { searchCases } from '../commands/cases/case-search.ts';
import { casesReply } from '../commands/cases/cases-page.ts';
import { CommandError } from '../interactions/errors.ts';
import { updateMessageResponse } from '../interactions/respond.ts';
import { requireModeratorPermission } from '../moderation/checks.ts';
import type { ComponentHandler } from './registry.ts';

export const casesPages: ComponentHandler = async ({ services, interaction, args }) => {
  const parsed = parsePageCustomId(args, services.now());
  if (!parsed) throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
  requireModeratorPermission(interaction, 'cases');
  const { filters, page } = parsed;
  const found = await searchCases(services.db, interaction.guild_id, filters, page);
  if (found.rows.length === 0) {
    const which = page.direction === 'older' ? 'older' : 'newer';
    throw new CommandError(
      'not_found',
      `No ${which} cases match these filters any more (they may have been deleted). Run /cases again.`,
    );
  }
  const position =
    page.direction === 'older' ? { newer: true, older: found.more } : { newer: found.more, older: true };
  return updateMessageResponse(casesReply(filters, found.rows, position));
};
