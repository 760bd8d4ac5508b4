// A mod-log line's Edit reason: the button opens a modal with the case's reason filled in, and its
// submit runs /reason's own handler (commands/cases/reason.ts), so who may edit, the limits and the
// mod-log edit are /reason's. The button checks early, so a moderator who may not edit is told
// before typing.
import type { APIInteractionResponse } from 'discord-api-types/v10';
import { MAX_REASON_LENGTH } from '../../shared/command-definitions.ts';
import { CASE_REASON_MODAL_PREFIX, isCaseId } from '../../shared/modlog-components.ts';
import { reason } from '../commands/cases/reason.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import type { ModalContext } from '../modals/handle-modal.ts';
import { modalResponse, readModalFields } from '../modals/modal.ts';
import { requireMayEditCase, requireModeratorPermission } from '../moderation/checks.ts';
import { expandSavedReason } from '../moderation/saved-reasons.ts';
import { findClickedCase } from './clicked-case.ts';
import type { ComponentContext } from './registry.ts';

export async function openReasonModal(
  { services, interaction }: ComponentContext,
  caseId: string,
): Promise<APIInteractionResponse> {
  requireModeratorPermission(interaction, 'reason');
  const row = await findClickedCase(services, interaction.guild_id, caseId);
  await requireMayEditCase(services, interaction, row);
  return modalResponse(
    `${CASE_REASON_MODAL_PREFIX}:${row.id}`,
    `Edit the reason of case #${row.caseNumber}`,
    [
      {
        customId: 'reason',
        label: 'New reason',
        style: 'paragraph',
        required: true,
        maxLength: MAX_REASON_LENGTH,
        placeholder: 'A saved reason’s name works too',
        value: row.reason,
      },
    ],
  );
}

export async function submitCaseReason({
  services,
  interaction,
  args,
  waitUntil,
}: ModalContext): Promise<Reply> {
  const [caseId = '', ...rest] = args;
  if (!isCaseId(caseId) || rest.length > 0)
    throw new CommandError('invalid_option', 'That form names no case; nothing was done.');
  requireModeratorPermission(interaction, 'reason');
  const row = await findClickedCase(services, interaction.guild_id, caseId);
  const fields = readModalFields(interaction.data);
  const options = await expandSavedReason(
    services.db,
    interaction.guild_id,
    givenOptions({ integer: { case: row.caseNumber }, string: { reason: fields.reason ?? null } }),
  );
  return reason({ services, interaction, options, waitUntil });
}
