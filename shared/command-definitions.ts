// The application commands as Discord is told of them: registered by `npm run register`, shown by
// the sandbox, and read by the edge handlers for option names, choices, bounds and permissions, so
// they can never disagree. The parts live in shared/commands/ (limits, names and permissions,
// option shapes, one file per group); the handlers are in functions/commands/.
import type { RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { caseDefinitions } from './commands/cases.ts';
import { contextMenuDefinitions } from './commands/context-menus.ts';
import { moderationDefinitions } from './commands/moderation.ts';
import type { Definition } from './commands/options.ts';
import { raidDefinitions } from './commands/raid.ts';

export {
  ESCALATION_WARNING_BOUNDS,
  ESCALATION_WINDOW_BOUNDS,
  type EscalationAction,
  escalationActions,
  MAX_ESCALATION_POLICIES,
} from './commands/cases.ts';
export * from './commands/limits.ts';
export { type CommandName, commandPermissions } from './commands/names.ts';
export { raidBotPermissions } from './commands/raid.ts';

/** The slash commands. */
export const commandDefinitions: Definition[] = [
  ...moderationDefinitions,
  ...caseDefinitions,
  ...raidDefinitions,
];

/** Everything `npm run register` sends: the slash commands and the Apps-menu commands. */
export const applicationCommands: RESTPutAPIApplicationCommandsJSONBody = [
  ...commandDefinitions,
  ...contextMenuDefinitions,
];
