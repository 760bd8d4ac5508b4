// The option shapes several commands share, and `define`, which gives every slash command its
// permission and guild-only context. `reason` options and case-number options autocomplete
// (functions/autocomplete/): saved reasons, and recent cases with a one-line summary.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { permissionBits } from '../permissions.ts';
import { LOCKABLE_CHANNEL_TYPES, MAX_CASE_NUMBER, MAX_REASON_LENGTH } from './limits.ts';
import { type CommandName, commandPermissions } from './names.ts';

export type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody & { name: CommandName };
export type Options = NonNullable<Definition['options']>;

export const userOption = (description: string) => ({
  type: ApplicationCommandOptionType.User as const,
  name: 'user',
  description,
  required: true,
});

export const durationOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'duration',
  description,
  required: false,
  max_length: 32,
});

export const lockChannelOption = (description: string) => ({
  type: ApplicationCommandOptionType.Channel as const,
  name: 'channel',
  description,
  required: false,
  channel_types: [...LOCKABLE_CHANNEL_TYPES],
});

/** Every `reason` option: autocompletes the server's saved reasons; a saved name expands to its text. */
export const reasonOption = (required: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'reason',
  description: required
    ? 'Why (shown in the mod-log and the audit log; saved reasons are suggested)'
    : 'Why (optional; saved reasons are suggested)',
  required,
  max_length: MAX_REASON_LENGTH,
  autocomplete: true,
});

/** A case number: autocompletes recent cases ("#12 Ban · @user · reason"). */
export const caseNumberOption = (name: string) => ({
  type: ApplicationCommandOptionType.Integer as const,
  name,
  description: 'Case number (recent cases are suggested)',
  required: true,
  min_value: 1,
  max_value: MAX_CASE_NUMBER,
  autocomplete: true,
});

export function define(name: CommandName, description: string, options: Options): Definition {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description,
    options,
    default_member_permissions: String(permissionBits[commandPermissions[name]]),
    contexts: [InteractionContextType.Guild],
  };
}
