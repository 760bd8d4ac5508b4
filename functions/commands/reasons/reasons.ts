// /reasons add name text | remove name | list — a server's saved reasons. Every `reason` option
// suggests them (functions/autocomplete/), and a reason typed as exactly a saved name becomes its
// text (moderation/saved-reasons.ts expandSavedReason). The changes are reasons-change.ts's (shared
// with the dashboard's settings page); this handler reads the options and words the reply.
import { CommandError } from '../../interactions/errors.ts';
import { listSavedReasons } from '../../moderation/saved-reasons.ts';
import { commandActor } from '../change-actor.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { removeReasonAs, saveReasonAs } from './reasons-change.ts';
import { savedReasonsEmbed } from './reasons-list.ts';

async function add(context: CommandContext) {
  const { options } = context;
  const saved = await saveReasonAs(commandActor(context), {
    name: options.string('name'),
    text: options.string('text'),
  });
  const { name, text } = saved;
  switch (saved.outcome) {
    case 'unchanged':
      return { content: `\`${name}\` is already saved with that text; nothing changed.` };
    case 'replaced':
      return {
        content: `Replaced the text of \`${name}\`. Typing \`${name}\` as a reason now gives:\n> ${text}`,
      };
    case 'saved':
      return { content: `Saved \`${name}\`. Typing \`${name}\` as a reason now gives:\n> ${text}` };
  }
}

async function remove(context: CommandContext) {
  const removed = await removeReasonAs(commandActor(context), context.options.string('name'));
  return { content: `Removed the saved reason \`${removed.name}\`.` };
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
