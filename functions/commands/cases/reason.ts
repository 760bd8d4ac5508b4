// /reason case reason (also the mod-log line's Edit reason modal): changes a case's reason — by its
// own moderator, or by someone with the action's permission who ranks above the case's member
// (moderation/checks.ts). The change, its history row (case_edits: the old reason and the new, who,
// when) and its `audit:logged` event are one transaction (case-edits.ts), applied only if the
// reason is still the one replaced; the relay then edits the case's mod-log message in place.
import { and, type SQL, sql } from 'drizzle-orm';
import { cases } from '../../../db/schema.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { findCase } from '../../moderation/cases.ts';
import { requireMayEditCase } from '../../moderation/checks.ts';
import { readCaseNumber, readReason } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';
import { applyCorrection, correctionEvent, notDeleted, requireNotDeleted } from './case-edits.ts';

export const reason: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const caseNumber = readCaseNumber(options, 'case');
  const newReason = readReason(options, true);
  const { db } = services;
  const found = await findCase(db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  requireNotDeleted(found);
  await requireMayEditCase(services, interaction, found);
  if (found.reason === newReason) return { content: `Case #${caseNumber} already has that reason.` };

  const now = services.now();
  const editor = interaction.member.user.id;
  const event = correctionEvent(
    found,
    {
      action: 'case.reason_edited',
      editedBy: editor,
      reason: newReason,
      details: { 'Previous reason': found.reason ?? 'No reason given' },
    },
    now,
  );
  const result = await applyCorrection(db, {
    row: found,
    field: 'reason',
    oldValue: found.reason,
    newValue: newReason,
    editedBy: editor,
    note: null,
    guard: and(sql`${cases.reason} is not distinct from ${found.reason}::text`, notDeleted) as SQL,
    set: { reason: newReason, reasonEditedBy: editor, reasonEditedAt: now },
    event,
    now,
  });
  if (!result.applied) {
    throw new CommandError(
      'unavailable',
      `Case #${caseNumber} was changed or deleted while you were editing it; nothing was changed. Look at it with /case view and try again.`,
    );
  }
  waitUntil(publishEvents(services, [result.event]));
  return { content: `Updated the reason of case #${caseNumber}.` };
};
