// Saved reasons for a `reason` option (any command) and for `/reasons remove name`: the typed text
// matched against names (prefix first, then anywhere) and texts (anywhere), case-insensitively. A
// server keeps at most 100, all under one prefix of the unique index (guild_id, name_key), so the
// filter runs over a guild-scoped index scan of ≤100 rows: one short query, no text index needed.
import { sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { savedReasons } from '../../db/schema.ts';
import { MAX_AUTOCOMPLETE_CHOICES } from '../../shared/commands/limits.ts';
import { type SavedReason, savedReasonKey } from '../moderation/saved-reasons.ts';
import { containsPattern, nameChoices, prefixPattern, reasonChoices } from './saved-reason-choices.ts';

/** Longer input matches no saved name or text anyway; the pattern stays small. */
const MAX_SEARCH_LENGTH = 100;

export async function findSavedReasons(
  db: EdgeDatabase,
  guildId: string,
  typed: string,
  matchText: boolean,
): Promise<SavedReason[]> {
  const text = typed.trim().slice(0, MAX_SEARCH_LENGTH);
  const key = savedReasonKey(text);
  const { nameKey } = savedReasons;
  const matches = text
    ? sql` and (${nameKey} like ${containsPattern(key)}${
        matchText ? sql` or ${savedReasons.text} ilike ${containsPattern(text)}` : sql``
      })`
    : sql``;
  const { rows } = await db.execute<{ name: string; text: string }>(sql`
    select ${savedReasons.name} as name, ${savedReasons.text} as text from ${savedReasons}
    where ${savedReasons.guildId} = ${guildId}${matches}
    order by (${nameKey} like ${prefixPattern(key)}) desc, (${nameKey} like ${containsPattern(key)}) desc, ${nameKey}
    limit ${MAX_AUTOCOMPLETE_CHOICES}`);
  return rows.map((row) => ({ name: row.name, text: row.text }));
}

export async function suggestSavedReasons(db: EdgeDatabase, guildId: string, typed: string) {
  return reasonChoices(await findSavedReasons(db, guildId, typed, true));
}

export async function suggestSavedNames(db: EdgeDatabase, guildId: string, typed: string) {
  return nameChoices(await findSavedReasons(db, guildId, typed, false));
}
