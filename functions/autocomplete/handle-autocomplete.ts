// Answers an autocomplete request (type 4) with up to 25 suggestions (type 8). It reads and never
// writes — not even the seen-interaction record: a suggestion changes nothing, Discord sends one per
// keystroke, and a replay of one only shows the same list again. Suggestions go only to members who
// hold the command's permission (case summaries are private); anyone else, an unknown command or
// option, a database that fails or is slow past the budget, all get an empty list — Discord then
// lets the moderator type freely, and the command itself checks everything again.
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  InteractionResponseType,
} from 'discord-api-types/v10';
import { type CommandName, commandPermissions } from '../../shared/commands/names.ts';
import { missingPermissions } from '../../shared/permissions.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { suggestCases } from './case-suggestions.ts';
import { findFocusedOption } from './focused-option.ts';
import { suggestSavedNames, suggestSavedReasons } from './reason-suggestions.ts';
import { suggestionSource } from './sources.ts';

/** Discord waits 3 s for the answer; past this the list would arrive too late to be shown. */
export const AUTOCOMPLETE_BUDGET_MS = 2_000;

type Choice = APIApplicationCommandOptionChoice;

async function suggest(
  services: Services,
  interaction: APIApplicationCommandAutocompleteGuildInteraction,
): Promise<Choice[]> {
  const command = interaction.data.name;
  const focused = findFocusedOption(interaction.data.options ?? []);
  // Only options the definitions declare as autocompleting have a source, so `command` is known.
  const source = focused && suggestionSource(command, focused.subcommand, focused.name);
  if (!focused || !source) return [];
  const needed = commandPermissions[command as CommandName];
  if (missingPermissions(interaction.member.permissions, [needed]).length > 0) return [];
  const guildId = interaction.guild_id;
  switch (source) {
    case 'cases':
      return suggestCases(services.db, guildId, focused.value);
    case 'saved-reasons':
      return suggestSavedReasons(services.db, guildId, focused.value);
    case 'saved-names':
      return suggestSavedNames(services.db, guildId, focused.value);
  }
}

export async function handleAutocomplete(
  services: Services,
  interaction: APIApplicationCommandAutocompleteGuildInteraction,
): Promise<APIInteractionResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Choice[]>((resolve) => {
    timer = setTimeout(() => resolve([]), AUTOCOMPLETE_BUDGET_MS);
  });
  const choices = await Promise.race([
    suggest(services, interaction).catch((error: unknown) => {
      console.error(
        `autocomplete of /${interaction.data.name} in ${interaction.guild_id} failed: ${errorForLog(error)}`,
      );
      return [];
    }),
    late,
  ]);
  clearTimeout(timer);
  return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } };
}
