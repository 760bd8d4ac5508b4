// Answers a button click or a select: accepted once (interactions/run-once.ts, as commands are),
// routed by its custom_id (registry.ts), every refusal a new ephemeral message that leaves the
// clicked message as it is. Handlers answer within Discord's 3 seconds (one or two queries) and
// hand longer work to waitUntil, editing the message afterwards.
import type {
  APIInteractionResponse,
  APIMessageComponentGuildInteraction,
  APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import { CommandError } from '../interactions/errors.ts';
import { type InteractionOptions, respondOnce } from '../interactions/run-once.ts';
import type { Services } from '../services.ts';
import { routeComponent } from './registry.ts';

export function handleComponent(
  services: Services,
  interaction: APIMessageComponentInteraction,
  options: InteractionOptions,
): Promise<APIInteractionResponse> {
  const clicked = interaction as APIMessageComponentGuildInteraction;
  return respondOnce(services, clicked, 'button', options.log, async () => {
    const route = routeComponent(String(clicked.data.custom_id ?? ''));
    if (!route) throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
    return route.handler({
      services,
      interaction: clicked,
      args: route.args,
      waitUntil: options.waitUntil,
      options,
    });
  });
}
