// /reason case reason: changes a case's reason — by its own moderator, or by someone with the
// action's permission who ranks above the case's member (moderation/checks.ts). The change and its `audit:logged` event are written
// together; the relay then edits the case's mod-log message in place.
import { and, eq } from 'drizzle-orm';
import { cases } from '../../../db/schema.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { auditEvent, queueEvent, sequenced } from '../../moderation/audit.ts';
import { findCase } from '../../moderation/cases.ts';
import { requireMayEditCase } from '../../moderation/checks.ts';
import { readCaseNumber, readReason } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';

export const reason: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const caseNumber = readCaseNumber(options, 'case');
  const newReason = readReason(options, true);
  const { db } = services;
  const found = await findCase(db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  await requireMayEditCase(services, interaction, found);
  if (found.reason === newReason) return { content: `Case #${caseNumber} already has that reason.` };

  const now = services.now();
  const event = auditEvent(
    {
      id: found.id,
      caseNumber,
      guildId: interaction.guild_id,
      userId: found.userId,
      moderatorId: interaction.member.user.id,
      reason: newReason,
      expiresAt: null,
      action: 'case.reason_edited',
      details: { 'Previous reason': found.reason ?? 'No reason given' },
    },
    now,
  );
  const [, queued] = await db.batch([
    db
      .update(cases)
      .set({ reason: newReason, reasonEditedBy: interaction.member.user.id, reasonEditedAt: now })
      .where(and(eq(cases.guildId, interaction.guild_id), eq(cases.caseNumber, caseNumber))),
    queueEvent(db, event, now),
  ]);
  waitUntil(publishEvents(services, [sequenced(event, queued)]));
  return { content: `Updated the reason of case #${caseNumber}.` };
};
