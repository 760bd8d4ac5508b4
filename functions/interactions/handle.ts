// Answers one verified interaction, by type: PING with PONG; a slash command through its module; a
// context-menu command (functions/context-menus/) with the modal it opens; a modal submit
// (functions/modals/) through the same command module as the slash command; a button or select
// (functions/components/); autocomplete (functions/autocomplete/), which reads and never writes.
// Outside a server only a ban appeal's button and modal, in the banned user's DM (functions/appeals/).
// Work that finishes within the inline budget is answered directly; slower work gets a deferred
// (ephemeral) response at the budget and its result is written into @original afterwards.
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIContextMenuGuildInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIModalSubmitGuildInteraction,
  ApplicationCommandType,
  InteractionType,
} from 'discord-api-types/v10';
import { actions } from '../../shared/actions.ts';
import { type DmAppealInteraction, handleDmAppeal, isDmAppeal } from '../appeals/dm-appeal.ts';
import { handleAutocomplete } from '../autocomplete/handle-autocomplete.ts';
import { commandHandlers, isCommandName } from '../commands/handlers.ts';
import { handleComponent } from '../components/handle-component.ts';
import { handleContextMenu } from '../context-menus/handle-context-menu.ts';
import { handleModal } from '../modals/handle-modal.ts';
import { requireModeratorPermission } from '../moderation/checks.ts';
import { expandSavedReason } from '../moderation/saved-reasons.ts';
import type { Services } from '../services.ts';
import { rememberUsers } from '../users/known-users.ts';
import { usersOfInteraction } from '../users/seen-users.ts';
import { CommandError } from './errors.ts';
import { readOptions } from './options.ts';
import { pongResponse, type Reply, replyResponse } from './respond.ts';
import { answerWithinBudget, type InteractionOptions, runOnce } from './run-once.ts';

/** Discord allows 3 s for the first response; this leaves room for the network both ways. */
export const DEFAULT_INLINE_BUDGET_MS = 2_000;

export type HandleOptions = InteractionOptions;

function runSlashCommand(
  services: Services,
  interaction: APIChatInputApplicationCommandGuildInteraction,
  options: HandleOptions,
): Promise<Reply> {
  const name = interaction.data.name;
  // A command named after a case action (/ban, /warn, /note…) records a case; /slowmode and the like do not.
  const recordsCase = Object.hasOwn(actions, name);
  return runOnce(
    services,
    interaction,
    `/${name}`,
    options.log,
    async () => {
      if (!isCommandName(name))
        throw new CommandError('invalid_option', `I do not know the command /${name}.`);
      requireModeratorPermission(interaction, name);
      return commandHandlers[name]({
        services,
        interaction,
        // A reason typed as a saved name becomes its text (looked up only when it reads as a name).
        options: await expandSavedReason(services.db, interaction.guild_id, readOptions(interaction.data)),
        waitUntil: options.waitUntil,
      });
    },
    recordsCase,
  );
}

export async function handleInteraction(
  services: Services,
  interaction: APIInteraction,
  options: HandleOptions,
): Promise<APIInteractionResponse> {
  if (interaction.type === InteractionType.Ping) return pongResponse;
  // The names the dashboard shows next to ids; best effort and after the response (never fails it).
  // Not on autocomplete: it comes on every keystroke, and the command it completes carries the same.
  if (interaction.type !== InteractionType.ApplicationCommandAutocomplete)
    options.waitUntil(rememberUsers(services.db, usersOfInteraction(interaction)));
  if (!interaction.guild_id || !interaction.member) {
    // A banned user's Appeal button and its modal come from their DM with the bot.
    if (!interaction.guild_id && interaction.user && isDmAppeal(interaction))
      return handleDmAppeal(services, interaction as DmAppealInteraction, options);
    return replyResponse({ content: 'Lockdown works inside servers only.' });
  }
  switch (interaction.type) {
    case InteractionType.MessageComponent:
      return handleComponent(services, interaction, options);
    case InteractionType.ApplicationCommandAutocomplete:
      return handleAutocomplete(services, interaction as APIApplicationCommandAutocompleteGuildInteraction);
    case InteractionType.ModalSubmit:
      return handleModal(services, interaction as APIModalSubmitGuildInteraction, options);
    case InteractionType.ApplicationCommand:
      break;
    default:
      return replyResponse({ content: 'Lockdown does not answer this kind of interaction.' });
  }
  if (interaction.data.type === ApplicationCommandType.ChatInput) {
    const command = interaction as APIChatInputApplicationCommandGuildInteraction;
    const work = runSlashCommand(services, command, options);
    return answerWithinBudget(services, command.token, `/${command.data.name}`, work, options);
  }
  if (
    interaction.data.type === ApplicationCommandType.User ||
    interaction.data.type === ApplicationCommandType.Message
  ) {
    return handleContextMenu(services, interaction as APIContextMenuGuildInteraction, options);
  }
  return replyResponse({ content: 'Lockdown does not answer this kind of command.' });
}
