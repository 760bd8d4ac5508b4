// Modals as Discord takes them (response type 9) and reads them back (a submit's text inputs).
// Pure. A submit carries only its custom_id and the values typed, nothing Discord vouches for
// beyond who submitted it, so every value is checked again by the command that uses it.
import {
  type APIModalInteractionResponse,
  type APIModalSubmission,
  ComponentType,
  InteractionResponseType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { truncate } from '../../shared/embed-fit.ts';

/** Discord's limits: a title of 45 characters, a label of 45, a placeholder of 100, 5 inputs. */
const MAX_TITLE = 45;
const MAX_LABEL = 45;
const MAX_PLACEHOLDER = 100;

export interface TextField {
  customId: string;
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  placeholder?: string;
  maxLength: number;
  /** Filled in (an existing reason being edited). */
  value?: string | null;
}

export function modalResponse(
  customId: string,
  title: string,
  fields: readonly TextField[],
): APIModalInteractionResponse {
  return {
    type: InteractionResponseType.Modal,
    data: {
      custom_id: customId,
      title: truncate(title, MAX_TITLE),
      components: fields.map((field) => ({
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: field.customId,
            label: truncate(field.label, MAX_LABEL),
            style: field.style === 'short' ? TextInputStyle.Short : TextInputStyle.Paragraph,
            required: field.required,
            max_length: field.maxLength,
            ...(field.placeholder ? { placeholder: truncate(field.placeholder, MAX_PLACEHOLDER) } : {}),
            ...(field.value ? { value: field.value.slice(0, field.maxLength) } : {}),
          },
        ],
      })),
    },
  };
}

/** The text inputs' values by custom_id (empty inputs as ''), whatever rows or labels hold them. */
export function readModalFields(data: APIModalSubmission): Record<string, string> {
  const values: Record<string, string> = {};
  const visit = (component: unknown): void => {
    if (typeof component !== 'object' || component === null) return;
    const c = component as {
      type?: number;
      custom_id?: unknown;
      value?: unknown;
      components?: unknown;
      component?: unknown;
    };
    if (
      c.type === ComponentType.TextInput &&
      typeof c.custom_id === 'string' &&
      typeof c.value === 'string'
    ) {
      values[c.custom_id] = c.value;
    }
    if (Array.isArray(c.components)) c.components.forEach(visit);
    if (c.component) visit(c.component);
  };
  (Array.isArray(data.components) ? data.components : []).forEach(visit);
  return values;
}
