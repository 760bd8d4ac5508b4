// What the hierarchy checks need to know about a guild — its owner, role positions and the bot's own
// roles — fetched from Discord and kept for a short while. Interactions do not carry the owner or
// the role list, and a burst of commands in one server should not cost two extra calls each.
import type { APIGuildMember, APIRole } from 'discord-api-types/v10';
import type { GuildRole } from '../../shared/permissions.ts';
import { getGuild, getMember } from './api.ts';
import type { DiscordRest } from './rest.ts';

export interface GuildFacts {
  name: string;
  ownerId: string;
  roles: GuildRole[];
  botRoleIds: string[];
}

export interface GuildDirectory {
  get(guildId: string): Promise<GuildFacts>;
}

const TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

/**
 * Entries live in the isolate that fetched them (a Worker isolate serves many requests), so the
 * cache object is created once per isolate by the caller and handed to each request's directory.
 */
export type GuildFactsCache = Map<string, { facts: GuildFacts; expires: number }>;

export function createGuildDirectory(
  rest: DiscordRest,
  applicationId: string,
  cache: GuildFactsCache,
  now: () => number = Date.now,
): GuildDirectory {
  return {
    async get(guildId) {
      const hit = cache.get(guildId);
      if (hit && hit.expires > now()) return hit.facts;
      const [guild, bot] = await Promise.all([
        getGuild(rest, guildId),
        getMember(rest, guildId, applicationId) as Promise<APIGuildMember>,
      ]);
      const facts: GuildFacts = {
        name: guild.name,
        ownerId: guild.owner_id,
        roles: guild.roles.map((role: APIRole) => ({ id: role.id, position: role.position })),
        botRoleIds: bot.roles,
      };
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(guildId, { facts, expires: now() + TTL_MS });
      return facts;
    },
  };
}
