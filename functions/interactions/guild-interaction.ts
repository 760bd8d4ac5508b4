// Any interaction inside a server: a slash command, a context-menu command, a button or select
// click, a modal submit. Command handlers read only what all of them carry (the guild, the
// moderator's member object and permissions, the bot's `app_permissions`, the channel, the token),
// so a modal submitted from a context menu runs through the same handler as the slash command.
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIContextMenuGuildInteraction,
  APIMessageComponentGuildInteraction,
  APIModalSubmitGuildInteraction,
} from 'discord-api-types/v10';

export type GuildInteraction =
  | APIChatInputApplicationCommandGuildInteraction
  | APIContextMenuGuildInteraction
  | APIMessageComponentGuildInteraction
  | APIModalSubmitGuildInteraction
  | APIApplicationCommandAutocompleteGuildInteraction;
