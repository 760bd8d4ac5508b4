// `npm run register`: publishes the slash command definitions (shared/command-definitions.ts) to Discord,
// globally or — with DISCORD_GUILD_ID, instantly — for one test server. Overwrites in bulk, so
// removed commands disappear too.
import type { RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import { createDiscordRest, DiscordApiError } from '../functions/discord/rest.ts';
import { DEFAULT_DISCORD_API_BASE } from '../functions/env.ts';
import { applicationCommands } from '../shared/command-definitions.ts';

const applicationId = process.env.DISCORD_APPLICATION_ID;
const botToken = process.env.DISCORD_BOT_TOKEN;
const guildId = process.env.DISCORD_GUILD_ID;
if (!applicationId || !botToken) {
  console.error(
    'Set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (and optionally DISCORD_GUILD_ID for one server).',
  );
  process.exit(1);
}

const rest = createDiscordRest({
  apiBase: process.env.DISCORD_API_BASE || DEFAULT_DISCORD_API_BASE,
  botToken,
  timeoutMs: 15_000,
});
const path = guildId
  ? `/applications/${applicationId}/guilds/${guildId}/commands`
  : `/applications/${applicationId}/commands`;
try {
  const registered = await rest.request<RESTPutAPIApplicationCommandsResult>('PUT', path, {
    body: applicationCommands,
  });
  console.log(
    `registered ${registered.length} commands ${guildId ? `in guild ${guildId}` : 'globally'}: ${registered.map((c) => `/${c.name}`).join(' ')}`,
  );
} catch (error) {
  console.error(
    error instanceof DiscordApiError ? error.message : `registration failed: ${(error as Error).message}`,
  );
  process.exit(1);
}
