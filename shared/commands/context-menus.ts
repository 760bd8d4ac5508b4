// The Apps-menu commands: right-click a member (user commands) or a message (message commands).
// Each opens a modal whose fields are the slash command's options of the same names, and its submit
// runs that slash command's handler (functions/context-menus/), so limits and checks are shared.
// A message command also records the message as the case's evidence; "Delete and warn" deletes it.
import {
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { permissionBits } from '../permissions.ts';
import { type CommandName, commandPermissions } from './names.ts';

/** A modal field: named after the slash command option it stands for. */
export interface ModalField {
  option: 'reason' | 'duration';
  label: string;
  required: boolean;
  placeholder: string;
}

export interface ContextMenuSpec {
  /** In the modal's custom_id (`ctx:<key>:…`), which must stay short (100 characters). */
  key: string;
  type: ApplicationCommandType.User | ApplicationCommandType.Message;
  /** The slash command whose handler the modal's submit runs. */
  command: Extract<CommandName, 'warn' | 'mute' | 'kick' | 'ban'>;
  modalTitle: string;
  fields: readonly ModalField[];
  /** Message commands: delete the message once the case is recorded (needs Manage Messages). */
  deleteMessage?: boolean;
}

const reasonField = (required: boolean): ModalField => ({
  option: 'reason',
  label: 'Reason',
  required,
  placeholder: required
    ? 'Why (a saved reason’s name works too)'
    : 'Why (optional; a saved reason’s name works too)',
});

export const contextMenus = {
  Warn: {
    key: 'warn',
    type: ApplicationCommandType.User,
    command: 'warn',
    modalTitle: 'Warn member',
    fields: [reasonField(true)],
  },
  Timeout: {
    key: 'timeout',
    type: ApplicationCommandType.User,
    command: 'mute',
    modalTitle: 'Time out member',
    fields: [
      {
        option: 'duration',
        label: 'Duration',
        required: true,
        placeholder: 'e.g. 10m, 1h, 7d (up to a year)',
      },
      reasonField(false),
    ],
  },
  Kick: {
    key: 'kick',
    type: ApplicationCommandType.User,
    command: 'kick',
    modalTitle: 'Kick member',
    fields: [reasonField(false)],
  },
  Ban: {
    key: 'ban',
    type: ApplicationCommandType.User,
    command: 'ban',
    modalTitle: 'Ban member',
    fields: [
      reasonField(false),
      {
        option: 'duration',
        label: 'Duration (empty: permanent)',
        required: false,
        placeholder: 'e.g. 30m, 2h, 7d, 1w2d',
      },
    ],
  },
  'Warn for this message': {
    key: 'warn-message',
    type: ApplicationCommandType.Message,
    command: 'warn',
    modalTitle: 'Warn for this message',
    fields: [reasonField(true)],
  },
  'Delete and warn': {
    key: 'delete-warn',
    type: ApplicationCommandType.Message,
    command: 'warn',
    modalTitle: 'Delete message and warn',
    fields: [reasonField(true)],
    deleteMessage: true,
  },
} as const satisfies Record<string, ContextMenuSpec>;

export type ContextMenuName = keyof typeof contextMenus;

export function isContextMenuName(name: string): name is ContextMenuName {
  return Object.hasOwn(contextMenus, name);
}

/** The menu a modal's key names, or null. */
export function contextMenuByKey(key: string): { name: ContextMenuName; spec: ContextMenuSpec } | null {
  for (const [name, spec] of Object.entries(contextMenus) as [ContextMenuName, ContextMenuSpec][]) {
    if (spec.key === key) return { name, spec };
  }
  return null;
}

/** The Manage Messages bit joins the action's own for "Delete and warn". */
function menuPermissions(spec: ContextMenuSpec): string {
  const bits = permissionBits[commandPermissions[spec.command]];
  return String(spec.deleteMessage ? bits | permissionBits.MANAGE_MESSAGES : bits);
}

export const contextMenuDefinitions: RESTPostAPIContextMenuApplicationCommandsJSONBody[] = Object.entries(
  contextMenus,
).map(([name, spec]) => ({
  type: spec.type,
  name,
  default_member_permissions: menuPermissions(spec),
  contexts: [InteractionContextType.Guild],
}));
