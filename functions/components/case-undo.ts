// A mod-log line's Undo: the button asks first (an ephemeral confirmation showing the case), and the
// confirmation carries the undo out through the undo command's own handler (/unban for a ban, /unmute
// for a mute: shared/actions.ts `undo`), with the undo claim (moderation/member-claims.ts) so the case
// is undone exactly once however often or however fast the button is pressed. Each step re-reads
// the case: one already ended, of another kind, or of another server is refused.
import { type APIInteractionResponse, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { actions, type CaseAction } from '../../shared/actions.ts';
import type { CommandName } from '../../shared/command-definitions.ts';
import { caseEmbed } from '../../shared/embeds.ts';
import { caseCustomId, undoAction } from '../../shared/modlog-components.ts';
import { commandHandlers } from '../commands/handlers.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import { type Reply, replyResponse } from '../interactions/respond.ts';
import { answerWithinBudget, failureReply } from '../interactions/run-once.ts';
import type { CaseRow } from '../moderation/cases.ts';
import { requireActionableTarget, requireModeratorPermission, resolveMember } from '../moderation/checks.ts';
import { findClickedCase } from './clicked-case.ts';
import type { ComponentContext } from './registry.ts';

const stateWords: Record<CaseRow['state'], string> = {
  active: 'in force',
  lifted: 'already undone',
  expired: 'already expired',
  superseded: 'already replaced by a newer case',
};

/** The case, its undo, and the moderator's right to take it — checked at both steps. */
async function undoable({ services, interaction }: ComponentContext, caseId: string) {
  const row = await findClickedCase(services, interaction.guild_id, caseId);
  const undo: CaseAction | null = undoAction(row.action);
  if (!undo) {
    throw new CommandError(
      'invalid_option',
      `A ${actions[row.action].title.toLowerCase()} cannot be undone.`,
    );
  }
  if (row.state !== 'active') {
    throw new CommandError(
      'forbidden',
      `Case #${row.caseNumber} is ${stateWords[row.state]}; nothing was done.`,
    );
  }
  requireModeratorPermission(interaction, undo as CommandName);
  const target = await resolveMember(services, interaction.guild_id, row.userId);
  await requireActionableTarget(services.guilds, interaction, target, undo, services.applicationId);
  return { row, undo, target };
}

export async function askUndo(context: ComponentContext, caseId: string): Promise<APIInteractionResponse> {
  const { row, undo } = await undoable(context, caseId);
  const what = undo === 'unban' ? `**unban** <@${row.userId}>` : `**end the timeout** of <@${row.userId}>`;
  return replyResponse({
    content: `Undo case #${row.caseNumber}? This will ${what}.`,
    embeds: [caseEmbed(row, { showState: true })],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: `Undo case #${row.caseNumber}`,
            custom_id: caseCustomId('undo-confirm', row.id),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Cancel',
            custom_id: caseCustomId('undo-cancel', row.id),
          },
        ],
      },
    ],
  });
}

export async function confirmUndo(
  context: ComponentContext,
  caseId: string,
): Promise<APIInteractionResponse> {
  const { services, interaction, waitUntil, options } = context;
  const { row, undo, target } = await undoable(context, caseId);
  const label = `undo of case #${row.caseNumber}`;
  const work: Promise<Reply> = commandHandlers[undo as CommandName]({
    services,
    interaction,
    options: givenOptions({ user: { user: target }, string: { reason: `Undo of case #${row.caseNumber}` } }),
    waitUntil,
    origin: { undoesCaseId: row.id },
  }).catch((error: unknown) => failureReply(error, label, interaction, options.log, true));
  // The confirmation is replaced by the outcome (type 7; deferred as type 6 if Discord is slow).
  return answerWithinBudget(services, interaction.token, label, work, options, 'update');
}
