// /warnings user [page]: a member's cases, newest first, a page at a time within embed limits.
import type { APIEmbed } from 'discord-api-types/v10';
import { actions } from '../../../shared/actions.ts';
import { discordTime, embedLimits, truncate } from '../../../shared/embed-fit.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { listMemberCases } from '../../moderation/cases.ts';
import { readTarget } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';

export const CASES_PER_PAGE = 10;
/** Each line's reason is cut so that ten lines stay well inside the 4096-character description. */
const REASON_PREVIEW = 200;

export function caseLine(row: CaseRow): string {
  const when = `${discordTime(row.createdAt, 'd')}`;
  const ended = row.state === 'active' ? '' : ` (${row.state})`;
  const reason = row.reason ? truncate(row.reason.replace(/\s+/g, ' '), REASON_PREVIEW) : '*No reason given*';
  return `\`#${row.caseNumber}\` **${actions[row.action].title}**${ended} · ${when} · by <@${row.moderatorId}>\n${reason}`;
}

export function casesPage(userId: string, rows: CaseRow[], total: number, page: number): APIEmbed {
  const pages = Math.max(1, Math.ceil(total / CASES_PER_PAGE));
  return {
    title: `Cases for ${userId}`,
    description: truncate(
      [`<@${userId}> has ${total} case${total === 1 ? '' : 's'}.`, '', ...rows.map(caseLine)].join('\n'),
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
