// Which module answers which slash command.
import type { CommandName } from '../../shared/command-definitions.ts';
import { caseCommand } from './cases/case.ts';
import { casesCommand } from './cases/cases.ts';
import { duration } from './cases/duration.ts';
import { history } from './cases/history.ts';
import { note } from './cases/note.ts';
import { reason } from './cases/reason.ts';
import { warnings } from './cases/warnings.ts';
import type { CommandHandler } from './command-handler.ts';
import { escalation } from './escalation/escalation.ts';
import { purge } from './messages/purge.ts';
import { ban } from './moderation/ban.ts';
import { kick } from './moderation/kick.ts';
import { mute } from './moderation/mute.ts';
import { unban } from './moderation/unban.ts';
import { unmute } from './moderation/unmute.ts';
import { warn } from './moderation/warn.ts';
import { modlog } from './modlog/modlog.ts';
import { lockdown } from './raid/lockdown.ts';
import { massban } from './raid/massban.ts';
import { raidmode } from './raid/raidmode.ts';
import { slowmode } from './raid/slowmode.ts';
import { unlock } from './raid/unlock.ts';
import { reasons } from './reasons/reasons.ts';

export const commandHandlers: Record<CommandName, CommandHandler> = {
  ban,
  unban,
  kick,
  mute,
  unmute,
  warn,
  note,
  warnings,
  cases: casesCommand,
  history,
  case: caseCommand,
  reason,
  duration,
  escalation,
  reasons,
  purge,
  modlog,
  lockdown,
  unlock,
  slowmode,
  raidmode,
  massban,
};

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandHandlers, name);
}
