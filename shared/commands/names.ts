// Every command's name and the permission a moderator needs for it (also its
// `default_member_permissions`): slash commands and the context-menu commands of the Apps menu.
import { actions, type CommandAction } from '../actions.ts';
import type { PermissionName } from '../permissions.ts';

/** The moderation commands are named after their action (/ban records a `ban` case). */
export type CommandName =
  | CommandAction
  | 'note'
  | 'warnings'
  | 'cases'
  | 'history'
  | 'case'
  | 'duration'
  | 'escalation'
  | 'reason'
  | 'reasons'
  | 'purge'
  | 'modlog'
  | 'lockdown'
  | 'unlock'
  | 'slowmode'
  | 'raidmode'
  | 'massban';

export const commandPermissions: Record<CommandName, PermissionName> = {
  ban: actions.ban.moderatorPermission,
  unban: actions.unban.moderatorPermission,
  kick: actions.kick.moderatorPermission,
  mute: actions.mute.moderatorPermission,
  unmute: actions.unmute.moderatorPermission,
  warn: actions.warn.moderatorPermission,
  note: 'MODERATE_MEMBERS',
  warnings: 'MODERATE_MEMBERS',
  cases: 'MODERATE_MEMBERS',
  history: 'MODERATE_MEMBERS',
  case: 'MODERATE_MEMBERS',
  // Changing a punishment's end takes the action's own permission, checked by the handler.
  duration: 'MODERATE_MEMBERS',
  escalation: 'MANAGE_GUILD',
  reason: 'MODERATE_MEMBERS',
  reasons: 'MANAGE_GUILD',
  purge: 'MANAGE_MESSAGES',
  modlog: 'MANAGE_GUILD',
  lockdown: 'MANAGE_CHANNELS',
  unlock: 'MANAGE_CHANNELS',
  slowmode: 'MANAGE_CHANNELS',
  raidmode: 'MANAGE_GUILD',
  massban: 'BAN_MEMBERS',
};
