// The cases a bench's big guild shares its indexes with, as in production: 100,000 warnings spread
// over 1,000 other guilds (ids `<guild>-other-<k>`, so they are found and removed with the guild's
// own), written by one INSERT … SELECT; and the clean-up of the guild's and their rows afterwards.
import { sql } from 'drizzle-orm';
import type { NodeDatabase } from '../../db/node.ts';

/** 100 cases in each of 1,000 other guilds, named after `guildId`. */
export async function seedNeighbourCases(db: NodeDatabase, guildId: string): Promise<void> {
  await db.execute(sql`
    insert into cases (id, guild_id, case_number, action, user_id, moderator_id, reason)
    select gen_random_uuid(), ${`${guildId}-other-`} || (n % 1000), 1 + n / 1000, 'warn', '1', '2', 'other'
    from generate_series(0, 99999) n`);
}

/** Removes the guild's cases, its neighbours' (seedNeighbourCases) and its guild row. */
export async function removeBenchGuild(db: NodeDatabase, guildId: string): Promise<void> {
  await db.execute(
    sql`delete from cases where guild_id = ${guildId} or guild_id like ${`${guildId}-other-%`}`,
  );
  await db.execute(sql`delete from guilds where guild_id = ${guildId}`);
}
