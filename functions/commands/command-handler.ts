// The shape every slash command module has: a handler from a typed context to a reply.
import type { APIChatInputApplicationCommandGuildInteraction } from 'discord-api-types/v10';
import type { CommandOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import type { Services } from '../services.ts';

export interface CommandContext {
  services: Services;
  interaction: APIChatInputApplicationCommandGuildInteraction;
  options: CommandOptions;
  /** Work that may finish after the reply (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
}

export type CommandHandler = (context: CommandContext) => Promise<Reply>;
