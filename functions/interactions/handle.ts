// Answers one verified interaction: PING with PONG, slash commands through their module. A command
// that finishes within the inline budget is answered directly; a slower one gets a deferred
// (ephemeral) response at the budget and its result is written into @original afterwards.
import {
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  ApplicationCommandType,
  InteractionType,
} from 'discord-api-types/v10';
import { commandHandlers, isCommandName } from '../commands/handlers.ts';
import { handleComponent } from '../components/handle-component.ts';
import { editOriginalResponse } from '../discord/api.ts';
import { errorForLog } from '../log.ts';
import { requireModeratorPermission } from '../moderation/checks.ts';
import type { Services } from '../services.ts';
import { CommandError, describeFailure } from './errors.ts';
import { readOptions } from './options.ts';
import { deferredResponse, followUpBody, pongResponse, type Reply, replyResponse } from './respond.ts';
import { acceptInteractionOnce } from './seen.ts';

/** Discord allows 3 s for the first response; this leaves room for the network both ways. */
export const DEFAULT_INLINE_BUDGET_MS = 2_000;

export interface HandleOptions {
  inlineBudgetMs: number;
  waitUntil(promise: Promise<unknown>): void;
  log(line: string): void;
}

async function runCommand(
  services: Services,
  interaction: APIChatInputApplicationCommandGuildInteraction,
  waitUntil: HandleOptions['waitUntil'],
  log: HandleOptions['log'],
): Promise<Reply> {
  const name = interaction.data.name;
  try {
    // First, before any work: a replay does nothing, and without the record (database down) neither
    // does the original.
    if (!(await acceptInteractionOnce(services.db, interaction.id))) {
      throw new CommandError('forbidden', 'This interaction was already handled; nothing was done again.');
    }
    if (!isCommandName(name)) throw new CommandError('invalid_option', `I do not know the command /${name}.`);
    requireModeratorPermission(interaction, name);
    return await commandHandlers[name]({
      services,
      interaction,
      options: readOptions(interaction.data),
      waitUntil,
    });
  } catch (error) {
    if (!(error instanceof CommandError))
      log(`/${name} in ${interaction.guild_id} failed: ${errorForLog(error)}`);
    return { content: describeFailure(error) };
  }
}

export async function handleInteraction(
  services: Services,
  interaction: APIInteraction,
  options: HandleOptions,
): Promise<APIInteractionResponse> {
  if (interaction.type === InteractionType.Ping) return pongResponse;
  if (interaction.type === InteractionType.MessageComponent) {
    return handleComponent(services, interaction, options);
  }
  if (
    interaction.type !== InteractionType.ApplicationCommand ||
    interaction.data.type !== ApplicationCommandType.ChatInput
  ) {
    return replyResponse({ content: 'Lockdown only answers slash commands.' });
  }
  if (!interaction.guild_id || !interaction.member) {
    return replyResponse({ content: 'Lockdown works inside servers only.' });
  }
  const command = interaction as APIChatInputApplicationCommandGuildInteraction;
  const work = runCommand(services, command, options.waitUntil, options.log);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.inlineBudgetMs);
  });
  const early = await Promise.race([work, budget]);
  clearTimeout(timer);
  if (early) return replyResponse(early);

  options.waitUntil(
    work.then((reply) =>
      editOriginalResponse(
        services.discord,
        services.applicationId,
        command.token,
        followUpBody(reply),
      ).catch((error) =>
        options.log(`could not edit the deferred reply for /${command.data.name}: ${errorForLog(error)}`),
      ),
    ),
  );
  return deferredResponse;
}
