// /reasons add name text | remove name | list — a server's saved reasons. Every `reason` option
// suggests them (functions/autocomplete/), and a reason typed as exactly a saved name becomes its
// text (moderation/saved-reasons.ts expandSavedReason). Each change writes its `audit:logged` event
// (`reasons.saved`, `reasons.removed`) in the same batch; publishing waits for after the reply.
import { MAX_SAVED_REASONS } from '../../../shared/commands/limits.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { CommandOptions } from '../../interactions/options.ts';
import {
  listSavedReasons,
  removeReason,
  savedNameProblem,
  savedTextProblem,
  saveReason,
} from '../../moderation/saved-reasons.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { savedReasonsEmbed } from './reasons-list.ts';

function readName(options: CommandOptions): string {
  const name = options.string('name')?.trim() ?? '';
  const problem = savedNameProblem(name);
  if (problem) throw new CommandError('invalid_option', problem);
  return name;
}

function readText(options: CommandOptions): string {
  const text = options.string('text')?.trim() ?? '';
  const problem = savedTextProblem(text);
  if (problem) throw new CommandError('invalid_option', problem);
  return text;
}

async function add({ services, interaction, options, waitUntil }: CommandContext) {
  const name = readName(options);
  const text = readText(options);
  const saved = await saveReason(
    services.db,
    { guildId: interaction.guild_id, name, text, moderatorId: interaction.member.user.id },
    services.now(),
  );
  switch (saved.outcome) {
    case 'full':
      throw new CommandError(
        'forbidden',
        `This server already has ${MAX_SAVED_REASONS} saved reasons, the most it can keep. Remove one with /reasons remove first.`,
      );
    case 'unchanged':
      return { content: `\`${name}\` is already saved with that text; nothing changed.` };
    case 'replaced':
      waitUntil(publishEvents(services, [saved.event]));
      return {
        content: `Replaced the text of \`${name}\`. Typing \`${name}\` as a reason now gives:\n> ${text}`,
      };
    case 'saved':
      waitUntil(publishEvents(services, [saved.event]));
      return { content: `Saved \`${name}\`. Typing \`${name}\` as a reason now gives:\n> ${text}` };
  }
}

async function remove({ services, interaction, options, waitUntil }: CommandContext) {
  // Any name that is saved can be removed; one that fails the rules cannot be saved, so say so.
  const name = options.string('name')?.trim() ?? '';
  if (savedNameProblem(name)) throw new CommandError('not_found', 'There is no saved reason by that name.');
  const result = await removeReason(
    services.db,
    { guildId: interaction.guild_id, name, moderatorId: interaction.member.user.id },
    services.now(),
  );
  if (!result) throw new CommandError('not_found', `There is no saved reason \`${name}\`.`);
  waitUntil(publishEvents(services, [result.event]));
  return { content: `Removed the saved reason \`${result.removed.name}\`.` };
}

async function list({ services, interaction }: CommandContext) {
  const reasons = await listSavedReasons(services.db, interaction.guild_id);
  if (reasons.length === 0) {
    return { content: 'This server has no saved reasons yet. Save one with /reasons add.' };
  }
  return { embeds: [savedReasonsEmbed(reasons)] };
}

export const reasons: CommandHandler = async (context) => {
  switch (context.options.subcommand) {
    case 'add':
      return add(context);
    case 'remove':
      return remove(context);
    case 'list':
      return list(context);
    default:
      throw new CommandError('invalid_option', 'Use /reasons add, /reasons remove or /reasons list.');
  }
};
