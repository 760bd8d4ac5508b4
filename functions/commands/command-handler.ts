// The shape every slash command module has: a handler from a typed context to a reply. A modal
// submit (from a context menu or a mod-log button) calls the same handler with options read from
// its fields, so both paths share every check.
import type { GuildInteraction } from '../interactions/guild-interaction.ts';
import type { CommandOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import type { Services } from '../services.ts';

export interface CommandContext {
  services: Services;
  /** A slash command, or the modal a context-menu command or a mod-log button opened. */
  interaction: GuildInteraction;
  options: CommandOptions;
  /** Work that may finish after the reply (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
}

export type CommandHandler = (context: CommandContext) => Promise<Reply>;
