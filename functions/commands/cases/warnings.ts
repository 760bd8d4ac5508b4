// /warnings user [page]: a member's cases, newest first, a page at a time within embed limits.
// Deleted cases (/case delete) are neither listed nor counted (listMemberCases). The mod-log's
// History button answers with this same handler.
import type { APIEmbed } from 'discord-api-types/v10';
import { embedLimits, truncate } from '../../../shared/embed-fit.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { listMemberCases } from '../../moderation/cases.ts';
import { readTarget } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';
import { caseLine } from './case-lines.ts';

export const CASES_PER_PAGE = 10;

export function casesPage(userId: string, rows: CaseRow[], total: number, page: number): APIEmbed {
  const pages = Math.max(1, Math.ceil(total / CASES_PER_PAGE));
  return {
    title: `Cases for ${userId}`,
    description: truncate(
      [
        `<@${userId}> has ${total} case${total === 1 ? '' : 's'}.`,
        '',
        ...rows.map((row) => caseLine(row)),
      ].join('\n'),
      embedLimits.description,
    ),
    footer: { text: `Page ${page} of ${pages}` },
  };
}

export const warnings: CommandHandler = async ({ services, interaction, options }) => {
  const target = readTarget(options);
  const page = options.integer('page') ?? 1;
  if (page < 1) throw new CommandError('invalid_option', 'The page number starts at 1.');
  const { rows, total } = await listMemberCases(services.db, interaction.guild_id, target.id, {
    offset: (page - 1) * CASES_PER_PAGE,
    limit: CASES_PER_PAGE,
  });
  if (total === 0) return { content: `<@${target.id}> has no cases.` };
  const pages = Math.ceil(total / CASES_PER_PAGE);
  if (page > pages) {
    throw new CommandError(
      'invalid_option',
      `<@${target.id}> has ${pages} page${pages === 1 ? '' : 's'} of cases.`,
    );
  }
  return { embeds: [casesPage(target.id, rows, total, page)] };
};
