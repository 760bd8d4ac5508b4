// The components under mod-log lines (shared/modlog-components.ts): Edit reason (case-reason.ts),
// Undo and its confirmation (case-undo.ts), History (the member's cases, as /warnings shows them),
// and the menu of a message with several cases, which answers with that case and its buttons.
// Every id is parsed strictly and its case looked up in the clicking server before anything else.
import { type APIInteractionResponse, ComponentType } from 'discord-api-types/v10';
import { caseEmbed } from '../../shared/embeds.ts';
import { caseButtonRow, isCaseId, parseCaseComponent } from '../../shared/modlog-components.ts';
import { warnings } from '../commands/cases/warnings.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import { replyResponse, updateMessageResponse } from '../interactions/respond.ts';
import { requireModeratorPermission } from '../moderation/checks.ts';
import { openReasonModal } from './case-reason.ts';
import { askUndo, confirmUndo } from './case-undo.ts';
import { findClickedCase } from './clicked-case.ts';
import type { ComponentContext, ComponentHandler } from './registry.ts';

async function history(context: ComponentContext, caseId: string): Promise<APIInteractionResponse> {
  const { services, interaction, waitUntil } = context;
  requireModeratorPermission(interaction, 'warnings');
  const row = await findClickedCase(services, interaction.guild_id, caseId);
  const options = givenOptions({ user: { user: { id: row.userId, user: null, member: null } } });
  return replyResponse(await warnings({ services, interaction, options, waitUntil }));
}

async function pick(context: ComponentContext): Promise<APIInteractionResponse> {
  const { services, interaction } = context;
  const data = interaction.data;
  const values = data.component_type === ComponentType.StringSelect ? data.values : [];
  const [caseId = ''] = values;
  if (values.length !== 1 || !isCaseId(caseId))
    throw new CommandError('invalid_option', 'Pick one case from the menu.');
  requireModeratorPermission(interaction, 'case');
  const row = await findClickedCase(services, interaction.guild_id, caseId);
  return replyResponse({
    embeds: [caseEmbed(row, { showState: true })],
    components: [
      caseButtonRow({
        caseId: row.id,
        caseNumber: row.caseNumber,
        action: row.action,
        active: row.state === 'active',
      }),
    ],
  });
}

export const caseComponents: ComponentHandler = async (context) => {
  const parsed = parseCaseComponent(context.args);
  if (!parsed) throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
  const caseId = parsed.caseId as string;
  switch (parsed.kind) {
    case 'reason':
      return openReasonModal(context, caseId);
    case 'undo':
      return askUndo(context, caseId);
    case 'undo-confirm':
      return confirmUndo(context, caseId);
    case 'undo-cancel':
      return updateMessageResponse({ content: 'Nothing was changed.' });
    case 'history':
      return history(context, caseId);
    case 'pick':
      return pick(context);
  }
};
