// Answers a modal submit: accepted once, routed by the modal's custom_id prefix — `ctx` for the
// context-menu commands' modals, `case-reason` for a mod-log line's Edit reason — and answered
// within the inline budget or deferred, exactly as a slash command is (interactions/run-once.ts).
import type { APIInteractionResponse, APIModalSubmitGuildInteraction } from 'discord-api-types/v10';
import { CASE_REASON_MODAL_PREFIX } from '../../shared/modlog-components.ts';
import { submitCaseReason } from '../components/case-reason.ts';
import { CONTEXT_MODAL_PREFIX } from '../context-menus/context-menu-modal.ts';
import { submitContextMenu } from '../context-menus/submit-context-menu.ts';
import { CommandError } from '../interactions/errors.ts';
import type { Reply } from '../interactions/respond.ts';
import { answerWithinBudget, type InteractionOptions, runOnce } from '../interactions/run-once.ts';
import type { Services } from '../services.ts';

export interface ModalContext {
  services: Services;
  interaction: APIModalSubmitGuildInteraction;
  /** The custom_id's parts after the prefix. */
  args: string[];
  waitUntil(promise: Promise<unknown>): void;
}

const modalHandlers: Record<string, (context: ModalContext) => Promise<Reply>> = {
  [CONTEXT_MODAL_PREFIX]: submitContextMenu,
  [CASE_REASON_MODAL_PREFIX]: submitCaseReason,
};

export function handleModal(
  services: Services,
  interaction: APIModalSubmitGuildInteraction,
  options: InteractionOptions,
): Promise<APIInteractionResponse> {
  const [prefix = '', ...args] = String(interaction.data.custom_id ?? '').split(':');
  const work = runOnce(
    services,
    interaction,
    `modal ${prefix}`,
    options.log,
    async () => {
      const handler = Object.hasOwn(modalHandlers, prefix) ? modalHandlers[prefix] : undefined;
      if (!handler)
        throw new CommandError('invalid_option', 'That form is not one of mine; nothing was done.');
      return handler({ services, interaction, args, waitUntil: options.waitUntil });
    },
    // A context menu's form carries out its action and records its case.
    prefix === CONTEXT_MODAL_PREFIX,
  );
  return answerWithinBudget(services, interaction.token, `modal ${prefix}`, work, options);
}
