// /case view number: one case as the mod-log shows it, whether it is still in force, whether it
// was deleted (by whom, when, why) and its latest corrections (case_edits).
// /case delete number reason: hides a case from lists, history and escalation counts — by its own
// moderator or someone with the action's permission ranking above the member (moderation/checks.ts),
// once. The case is kept; the deletion, its history row and its `audit:logged` event are one
// transaction (case-edits.ts), and the relay then marks the case's mod-log line as removed.
// Deleting a case does not lift what it did (as in Zeppelin): a deleted temporary ban is still
// lifted on time and a deleted mute still ends on time; /unban and /unmute end them now. The reply
// says so.
import type { APIEmbed } from 'discord-api-types/v10';
import { actions } from '../../../shared/actions.ts';
import { discordTime, embedLimits, field, fitEmbed, truncate } from '../../../shared/embed-fit.ts';
import { type CaseEnding, caseEmbed } from '../../../shared/embeds.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { type CaseRow, findCase } from '../../moderation/cases.ts';
import { requireMayEditCase } from '../../moderation/checks.ts';
import { readCaseNumber, readReason } from '../../moderation/inputs.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import {
  applyCorrection,
  type CaseEditRow,
  correctionEvent,
  findCaseWithEdits,
  notDeleted,
  SHOWN_EDITS,
} from './case-edits.ts';

export const caseCommand: CommandHandler = (context) => {
  switch (context.options.subcommand) {
    case 'delete':
      return deleteCase(context);
    // `view`; a payload without a subcommand (from before /case had them) reads as one.
    case 'view':
    case null:
      return viewCase(context);
    default:
      throw new CommandError('invalid_option', 'Use /case view or /case delete.');
  }
};

async function viewCase({ services, interaction, options }: CommandContext) {
  const caseNumber = readCaseNumber(options, 'number');
  const found = await findCaseWithEdits(services.db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  return { embeds: [caseViewEmbed(found.row, found.edits, found.ending)] };
}

/**
 * The case's embed (how it ended, by which case; a deleted one shown as removed, by whom, when,
 * why) with its latest edits. Pure.
 */
export function caseViewEmbed(
  row: CaseRow,
  edits: readonly CaseEditRow[],
  ending: CaseEnding | null = null,
): APIEmbed {
  const embed = caseEmbed({ ...row, ending }, { showState: true });
  if (edits.length === 0) return embed;
  const shown = edits.slice(0, SHOWN_EDITS).map(editLine);
  if (edits.length > SHOWN_EDITS) shown.push('… and earlier edits');
  const fields = [
    ...(embed.fields ?? []),
    field('Edits (latest first)', truncate(shown.join('\n'), embedLimits.fieldValue)),
  ];
  return fitEmbed({ ...embed, fields: fields.slice(0, embedLimits.fields) });
}

/** How long a value shown in an edit line may be. */
const EDIT_VALUE_PREVIEW = 80;

const quoted = (value: string | null) =>
  value === null ? '*none*' : `“${truncate(value.replace(/\s+/g, ' '), EDIT_VALUE_PREVIEW)}”`;

const instant = (value: string | null) => {
  const at = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(at) ? 'no end' : discordTime(new Date(at), 'f');
};

/** One correction, compactly: when, who, what changed (and why, when given). */
export function editLine(edit: CaseEditRow): string {
  const head = `${discordTime(edit.editedAt, 'R')} <@${edit.editedBy}>`;
  const why = edit.note ? ` — ${quoted(edit.note)}` : '';
  switch (edit.field) {
    case 'reason':
      return `${head} reason ${quoted(edit.oldValue)} → ${quoted(edit.newValue)}`;
    case 'expires_at':
      return `${head} end ${instant(edit.oldValue)} → ${instant(edit.newValue)}${why}`;
    case 'deleted':
      return `${head} ${edit.newValue === 'true' ? 'deleted' : 'restored'}${why}`;
  }
}

async function deleteCase({ services, interaction, options, waitUntil }: CommandContext) {
  const caseNumber = readCaseNumber(options, 'number');
  const why = readReason(options, true) as string;
  const { db } = services;
  const found = await findCase(db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  if (found.deletedAt) throw alreadyDeleted(found);
  await requireMayEditCase(services, interaction, found, 'delete');

  const now = services.now();
  const deleter = interaction.member.user.id;
  const event = correctionEvent(
    found,
    {
      action: 'case.deleted',
      editedBy: deleter,
      reason: why,
      details: {
        Action: actions[found.action].title,
        'Given by': `<@${found.moderatorId}>`,
        'Its reason': found.reason ?? 'No reason given',
      },
    },
    now,
  );
  const result = await applyCorrection(db, {
    row: found,
    field: 'deleted',
    oldValue: 'false',
    newValue: 'true',
    editedBy: deleter,
    note: why,
    guard: notDeleted,
    set: { deletedAt: now, deletedBy: deleter, deleteReason: why },
    event,
    now,
  });
  if (!result.applied) {
    const again = await findCase(db, interaction.guild_id, caseNumber);
    throw again?.deletedAt
      ? alreadyDeleted(again)
      : new CommandError('unavailable', 'Something changed meanwhile; nothing was deleted. Try again.');
  }
  waitUntil(publishEvents(services, [result.event]));
  return {
    content: `Deleted case #${caseNumber}: it is hidden from lists, history and escalation counts, and kept with who deleted it and why.${stillInForce(found)}`,
  };
}

function alreadyDeleted(row: CaseRow): CommandError {
  const by = row.deletedBy ? ` by <@${row.deletedBy}>` : '';
  const when = row.deletedAt ? ` ${discordTime(row.deletedAt, 'R')}` : '';
  return new CommandError('invalid_option', `Case #${row.caseNumber} was already deleted${by}${when}.`);
}

/** Deleting a case does not undo it: what stays in force, and how to end it now. */
export function stillInForce(row: Pick<CaseRow, 'action' | 'state' | 'expiresAt'>): string {
  if (row.state !== 'active' || (row.action !== 'ban' && row.action !== 'mute')) return '';
  const [what, verb, command] =
    row.action === 'ban' ? ['ban', 'lift', '/unban'] : ['timeout', 'end', '/unmute'];
  const head = ` The ${what} itself stays in force — deleting a case does not ${verb} it.`;
  if (!row.expiresAt) return `${head} ${command} ${verb}s it.`;
  return `${head} It still ends ${discordTime(row.expiresAt, 'R')}; ${command} ${verb}s it now.`;
}
