// The shape every slash command module has: a handler from a typed context to a reply. A modal
// submit (from a context menu or a mod-log button) calls the same handler with options read from
// its fields, so both paths share every check; `origin` carries what only those paths add.
import type { MessageEvidence } from '../../shared/evidence.ts';
import type { GuildInteraction } from '../interactions/guild-interaction.ts';
import type { CommandOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import type { Services } from '../services.ts';

/** How a command was started when it was not typed: a message's Apps menu, or a mod-log Undo. */
export interface CommandOrigin {
  /** The message the action is taken for, recorded as the case's evidence (its author is the target). */
  evidence?: MessageEvidence;
  /** "Delete and warn": deleting that message is the action's Discord call. */
  deleteMessage?: boolean;
  /** A mod-log line's Undo: the case this action ends — exactly it, and only once. */
  undoesCaseId?: string;
}

export interface CommandContext {
  services: Services;
  /** A slash command, or the modal a context-menu command or a mod-log button opened. */
  interaction: GuildInteraction;
  options: CommandOptions;
  /** Work that may finish after the reply (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
  origin?: CommandOrigin;
}

export type CommandHandler = (context: CommandContext) => Promise<Reply>;
