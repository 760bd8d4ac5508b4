// Message components (buttons) by custom_id prefix: `<prefix>:<args…>`. A custom_id comes back in a
// signed interaction but was written by us earlier and may be replayed or tampered with by a
// client, so each handler checks everything it names against the database before acting.
import type { APIInteractionResponse, APIMessageComponentGuildInteraction } from 'discord-api-types/v10';
import { appealDecisionButtons } from '../appeals/decide-appeal.ts';
import type { InteractionOptions } from '../interactions/run-once.ts';
import type { Services } from '../services.ts';
import { caseComponents } from './case-buttons.ts';
import { casesPages } from './cases-pages.ts';
import { massbanButtons } from './massban-buttons.ts';

export interface ComponentContext {
  services: Services;
  interaction: APIMessageComponentGuildInteraction;
  /** The custom_id's parts after the prefix. */
  args: string[];
  waitUntil(promise: Promise<unknown>): void;
  /** The inline budget and log, for handlers that carry out an action (an Undo). */
  options: InteractionOptions;
}

export type ComponentHandler = (context: ComponentContext) => Promise<APIInteractionResponse>;

export const componentHandlers: Record<string, ComponentHandler> = {
  massban: massbanButtons,
  case: caseComponents,
  cases: casesPages,
  appeal: appealDecisionButtons,
};

/** The handler and arguments a custom_id names, or null for one that is not ours. */
export function routeComponent(customId: string): { handler: ComponentHandler; args: string[] } | null {
  const [prefix, ...args] = customId.split(':');
  if (!prefix || !Object.hasOwn(componentHandlers, prefix)) return null;
  return { handler: componentHandlers[prefix] as ComponentHandler, args };
}
