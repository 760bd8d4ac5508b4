// The modal a context-menu command opens: its custom_id (`ctx:<menu key>:<user id | draft id>`) and
// fields named after the slash command's options (reason, duration). Pure.
import { MAX_REASON_LENGTH } from '../../shared/command-definitions.ts';
import type { ContextMenuSpec, ModalField } from '../../shared/commands/context-menus.ts';
import { modalResponse, type TextField } from '../modals/modal.ts';

export const CONTEXT_MODAL_PREFIX = 'ctx';

const fieldShape = (field: ModalField): TextField => ({
  customId: field.option,
  label: field.label,
  style: field.option === 'reason' ? 'paragraph' : 'short',
  required: field.required,
  placeholder: field.placeholder,
  maxLength: field.option === 'reason' ? MAX_REASON_LENGTH : 32,
});

/** `ref`: the target user's id (user commands) or the draft holding the message (message commands). */
export function contextMenuModal(spec: ContextMenuSpec, ref: string, targetName: string | null) {
  const title = targetName ? `${spec.modalTitle}: ${targetName}` : spec.modalTitle;
  return modalResponse(`${CONTEXT_MODAL_PREFIX}:${spec.key}:${ref}`, title, spec.fields.map(fieldShape));
}
