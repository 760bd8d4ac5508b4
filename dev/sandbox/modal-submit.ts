// A modal submitted on the sandbox page, sent as Discord sends it: only a modal the bot opened (kept
// by worker-link.ts under the token of the interaction it answered), only by the member it was
// shown to, its values checked as Discord's client checks them before it lets Submit through
// (required — the default —, min_length, max_length, one line in a short input), then a signed
// MODAL_SUBMIT (dev/interactions.ts) with every text input in the modal's order and, when a button
// opened it, the message the button is on. The answer: a message (4), deferred (5), or for a modal a
// button opened, the button's message updated (7) or a deferred update (6).
import {
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  InteractionType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { buildModalSubmitInteraction } from '../interactions.ts';
import type { ShapedOutcome } from './answers.ts';
import { CommandInputError } from './command-options.ts';
import { interactionParty, sendInteraction } from './commands.ts';
import { addClientFields, interactionMetadata, invokerOf } from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { OpenModal, WorkerLink } from './worker-link.ts';

/** What the page sends when Submit is pressed. */
export interface ModalSubmitRequest {
  /** The token of the interaction the modal was the answer to. */
  token: string;
  /** The text typed, by each input's custom_id. */
  values: Record<string, string>;
  invokerId?: string;
}

/** A text input as the modal shows it, with Discord's defaults filled in. */
export interface TextInputView {
  customId: string;
  label: string;
  style: TextInputStyle;
  required: boolean;
  minLength: number;
  maxLength: number;
  placeholder: string | null;
  value: string | null;
}

/** Discord's own bounds on a text input's value. */
const MAX_VALUE = 4000;

/** The modal's text inputs, in order, from action rows (the classic layout) or labels (type 18). */
export function textInputsOf(modal: APIModalInteractionResponseCallbackData): TextInputView[] {
  const inputs: TextInputView[] = [];
  const add = (component: unknown, label?: string) => {
    const input = component as Record<string, unknown> | null;
    if (input?.type !== ComponentType.TextInput || typeof input.custom_id !== 'string') return;
    inputs.push({
      customId: input.custom_id,
      label: label ?? (typeof input.label === 'string' ? input.label : ''),
      style: input.style === TextInputStyle.Paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: input.required !== false,
      minLength: typeof input.min_length === 'number' ? input.min_length : 0,
      maxLength: typeof input.max_length === 'number' ? input.max_length : MAX_VALUE,
      placeholder: typeof input.placeholder === 'string' ? input.placeholder : null,
      value: typeof input.value === 'string' ? input.value : null,
    });
  };
  for (const top of (modal.components ?? []) as unknown as Record<string, unknown>[]) {
    if (top.type === ComponentType.ActionRow && Array.isArray(top.components)) {
      for (const component of top.components) add(component);
    } else if (top.type === ComponentType.Label) {
      add(top.component, typeof top.label === 'string' ? top.label : undefined);
    }
  }
  return inputs;
}

/** What Discord's client would not let through, in its words; null when Submit may be pressed. */
export function modalProblem(
  inputs: readonly TextInputView[],
  values: Record<string, unknown>,
): string | null {
  for (const input of inputs) {
    const raw = values[input.customId];
    if (raw !== undefined && typeof raw !== 'string') return `${input.label}: text only.`;
    const value = raw ?? '';
    if (input.required && value.trim() === '') return `${input.label}: this field is required.`;
    if (value === '') continue;
    if (value.length < input.minLength)
      return `${input.label}: must be at least ${input.minLength} characters long.`;
    if (value.length > input.maxLength)
      return `${input.label}: must be at most ${input.maxLength} characters long.`;
    if (input.style === TextInputStyle.Short && /[\r\n]/.test(value))
      return `${input.label}: a short answer is one line.`;
  }
  return null;
}

/** The modal a submit is for, still open and shown to the one submitting it (Discord shows a modal to
 * the member or user whose interaction opened it, and to no one else; unnamed, it is them), with its
 * text inputs' values checked as Discord's client checks them before sending. */
export function checkedModalFields(
  link: WorkerLink,
  token: unknown,
  submitterId: string | undefined,
  submitted: unknown,
  who: 'member' | 'user',
): { open: OpenModal; fields: Record<string, string> } {
  const open = typeof token === 'string' ? link.modalOf(token) : undefined;
  if (!open) throw new CommandInputError('That modal is not open (it was submitted or never opened).');
  if ((submitterId ?? open.invokerId) !== open.invokerId)
    throw new CommandInputError(`Only the ${who} it was opened for can submit it.`);
  const values = (submitted && typeof submitted === 'object' ? submitted : {}) as Record<string, unknown>;
  const inputs = textInputsOf(open.modal);
  const problem = modalProblem(inputs, values);
  if (problem) throw new CommandInputError(problem);
  return {
    open,
    fields: Object.fromEntries(inputs.map((i) => [i.customId, String(values[i.customId] ?? '')])),
  };
}

export async function runModalSubmit(
  link: WorkerLink,
  setup: { applicationId: string; guild: SandboxGuild },
  request: ModalSubmitRequest,
): Promise<ShapedOutcome> {
  const { open, fields } = checkedModalFields(
    link,
    request.token,
    request.invokerId,
    request.values,
    'member',
  );
  const guild = await link.guildState();
  const invoker = invokerOf(guild, open.invokerId);
  const interaction = buildModalSubmitInteraction({
    ...interactionParty(setup.applicationId, guild, invoker, open.channelId),
    customId: open.modal.custom_id,
    fields,
    ...(open.message ? { message: open.message } : {}),
  });
  addClientFields(interaction, guild, invoker, open.channelId);
  const metadata = interactionMetadata(interaction, InteractionType.ModalSubmit, invoker, guild, {
    triggering_interaction_metadata: open.trigger,
  });
  const outcome = await sendInteraction(link, interaction, {
    kind: open.message ? 'modal-from-component' : 'modal',
    applicationId: setup.applicationId,
    channelId: open.channelId,
    guild,
    metadata,
    ...(open.message ? { source: open.message as APIMessage } : {}),
  });
  // Discord closes the modal once the bot answers it; a failure leaves it open to try again.
  if (!outcome.failed) link.forgetModal(request.token);
  return outcome;
}
