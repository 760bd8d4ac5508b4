// Answers a button click: accepted once (interactions/seen.ts, as commands are), routed by its
// custom_id (registry.ts), every refusal a new ephemeral message that leaves the clicked message as
// it is. Handlers answer within Discord's 3 seconds (one or two queries) and hand longer work to
// waitUntil, editing the message afterwards.
import type {
  APIInteractionResponse,
  APIMessageComponentGuildInteraction,
  APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import { CommandError, describeFailure } from '../interactions/errors.ts';
import { replyResponse } from '../interactions/respond.ts';
import { acceptInteractionOnce } from '../interactions/seen.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { routeComponent } from './registry.ts';

export async function handleComponent(
  services: Services,
  interaction: APIMessageComponentInteraction,
  options: { waitUntil(promise: Promise<unknown>): void; log(line: string): void },
): Promise<APIInteractionResponse> {
  if (!interaction.guild_id || !interaction.member) {
    return replyResponse({ content: 'Lockdown works inside servers only.' });
  }
  try {
    if (!(await acceptInteractionOnce(services.db, interaction.id))) {
      throw new CommandError('forbidden', 'This click was already handled; nothing was done again.');
    }
    const route = routeComponent(String(interaction.data.custom_id ?? ''));
    if (!route) throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
    return await route.handler({
      services,
      interaction: interaction as APIMessageComponentGuildInteraction,
      args: route.args,
      waitUntil: options.waitUntil,
    });
  } catch (error) {
    if (!(error instanceof CommandError))
      options.log(`button in ${interaction.guild_id} failed: ${errorForLog(error)}`);
    return replyResponse({ content: describeFailure(error) });
  }
}
