// Which module answers which slash command.
import type { CommandName } from '../../shared/commands.ts';
import { ban } from '../commands/ban.ts';
import { caseCommand } from '../commands/case.ts';
import { kick } from '../commands/kick.ts';
import { modlog } from '../commands/modlog.ts';
import { mute } from '../commands/mute.ts';
import { reason } from '../commands/reason.ts';
import { unban } from '../commands/unban.ts';
import { unmute } from '../commands/unmute.ts';
import { warn } from '../commands/warn.ts';
import { warnings } from '../commands/warnings.ts';
import type { CommandHandler } from './command.ts';

export const commandHandlers: Record<CommandName, CommandHandler> = {
  ban,
  unban,
  kick,
  mute,
  unmute,
  warn,
  warnings,
  case: caseCommand,
  reason,
  modlog,
};

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandHandlers, name);
}
