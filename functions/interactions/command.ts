// The shape every slash command module has: a handler from a typed context to a reply.
import type { APIChatInputApplicationCommandGuildInteraction } from 'discord-api-types/v10';
import type { Services } from '../services.ts';
import type { CommandOptions } from './options.ts';
import type { Reply } from './respond.ts';

export interface CommandContext {
  services: Services;
  interaction: APIChatInputApplicationCommandGuildInteraction;
  options: CommandOptions;
  /** Work that may finish after the reply (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
}

export type CommandHandler = (context: CommandContext) => Promise<Reply>;
