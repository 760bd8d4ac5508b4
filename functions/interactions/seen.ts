// Accepts each interaction once. Discord never retries an interaction POST, so the same signed
// request arriving again (within the five minutes its timestamp allows) is a replay, by an attacker
// or a bug, and must not make a second case or send a second DM. The id is recorded before any work,
// in one round trip that also prunes ids too old to pass the timestamp check again.
import { sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { seenInteractions } from '../../db/schema.ts';

/**
 * A replay passes the ±5-minute timestamp check at most 10 minutes after the original; 15 leaves room
 * for the Worker's clock and the database's to differ.
 */
const KEEP_SEEN = sql.raw(`interval '15 minutes'`);
/** Prunes a few rows per insert so no request ever does a large delete; SKIP LOCKED never waits. */
const PRUNE_BATCH = 50;

/** Records the id; false when it was already recorded (a replay). Throws when the database does. */
export async function acceptInteractionOnce(db: EdgeDatabase, interactionId: string): Promise<boolean> {
  const { rows } = await db.execute<{ interaction_id: string }>(sql`
    with pruned as (
      delete from ${seenInteractions} where ${seenInteractions.interactionId} in (
        select ${seenInteractions.interactionId} from ${seenInteractions}
        where ${seenInteractions.seenAt} < now() - ${KEEP_SEEN}
        limit ${PRUNE_BATCH} for update skip locked
      )
    )
    insert into ${seenInteractions} (${sql.identifier(seenInteractions.interactionId.name)})
    values (${interactionId})
    on conflict do nothing
    returning ${sql.identifier(seenInteractions.interactionId.name)}`);
  return rows.length === 1;
}
