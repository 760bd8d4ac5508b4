// A server's saved reasons (`/reasons`): short names a moderator can type (or pick) as a reason,
// each standing for its text. The store — list, save, remove — and the expansion of a reason typed
// as exactly a saved name into its text. Each change and its `audit:logged` event are one batch,
// under the guild's saved-reasons lock, so the 100-per-server limit holds under concurrent adds
// and a removal is announced once. A guild has at most 100 rows, all under one prefix of the
// unique index (guild_id, name_key), so scanning them is cheap.
import { asc, eq, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { savedReasons } from '../../db/schema.ts';
import {
  MAX_REASON_LENGTH,
  MAX_SAVED_REASON_NAME_LENGTH,
  MAX_SAVED_REASONS,
} from '../../shared/commands/limits.ts';
import type { AuditAction, LockdownEvent } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import type { CommandOptions } from '../interactions/options.ts';
import { auditEvent } from './audit.ts';

export interface SavedReason {
  name: string;
  text: string;
}

/** One word: letters, digits, `-` and `_` (any script's letters and digits). */
const NAME = /^[\p{L}\p{N}_-]+$/u;

/** Whether `value` could be a saved reason's name; only such values are ever looked up. */
export function looksLikeSavedName(value: string): boolean {
  return Array.from(value).length <= MAX_SAVED_REASON_NAME_LENGTH && NAME.test(value);
}

/** Names are matched without regard to case: the key is the name lower-cased. */
export const savedReasonKey = (name: string): string => name.toLowerCase();

/** What is wrong with `name` as a saved reason's name, or null when it is fine. */
export function savedNameProblem(name: string): string | null {
  const length = Array.from(name).length;
  if (length === 0) return 'Give the saved reason a name, e.g. `spam`.';
  if (length > MAX_SAVED_REASON_NAME_LENGTH)
    return `A name is at most ${MAX_SAVED_REASON_NAME_LENGTH} characters; \`${name.slice(0, 40)}…\` is ${length}.`;
  if (!NAME.test(name))
    return 'A name is one word of letters, digits, `-` and `_` (e.g. `spam` or `rule-3`), so that typing it as a reason is unambiguous.';
  return null;
}

/** What is wrong with `text` as a saved reason's text, or null when it is fine. */
export function savedTextProblem(text: string): string | null {
  const length = Array.from(text).length;
  if (length === 0) return 'Give the reason text to save.';
  if (length > MAX_REASON_LENGTH)
    return `The text is ${length} characters long; a reason is at most ${MAX_REASON_LENGTH}.`;
  return null;
}

const inGuild = (guildId: string) => sql`${savedReasons.guildId} = ${guildId}`;
const withKey = (guildId: string, name: string) =>
  sql`${inGuild(guildId)} and ${savedReasons.nameKey} = ${savedReasonKey(name)}`;

/** The text saved under `name` (any case), or null. */
export async function findSavedReasonText(
  db: EdgeDatabase,
  guildId: string,
  name: string,
): Promise<string | null> {
  const [row] = await db
    .select({ text: savedReasons.text })
    .from(savedReasons)
    .where(withKey(guildId, name))
    .limit(1);
  return row?.text ?? null;
}

/**
 * The options with the `reason` option replaced by its saved text when it is exactly a saved name.
 * An ordinary reason (several words, punctuation, too long for a name) costs no query.
 */
export async function expandSavedReason(
  db: EdgeDatabase,
  guildId: string,
  options: CommandOptions,
): Promise<CommandOptions> {
  const typed = options.string('reason')?.trim();
  if (!typed || !looksLikeSavedName(typed)) return options;
  const text = await findSavedReasonText(db, guildId, typed);
  if (text === null) return options;
  return { ...options, string: (name) => (name === 'reason' ? text : options.string(name)) };
}

export async function listSavedReasons(db: EdgeDatabase, guildId: string): Promise<SavedReason[]> {
  return db
    .select({ name: savedReasons.name, text: savedReasons.text })
    .from(savedReasons)
    .where(eq(savedReasons.guildId, guildId))
    .orderBy(asc(savedReasons.nameKey))
    .limit(MAX_SAVED_REASONS);
}

/** Held until the batch ends: the guild's saved-reason changes happen one at a time. */
function lockGuildReasons(db: EdgeDatabase, guildId: string) {
  return db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`saved_reasons:${guildId}`}, 0))`);
}

export interface SavedReasonChange {
  guildId: string;
  name: string;
  moderatorId: string;
  /** Details the caller adds to the mod-log line (where the change was made). */
  details?: Record<string, string>;
}

function reasonsEvent(
  change: SavedReasonChange,
  action: AuditAction,
  details: Record<string, string>,
  now: Date,
) {
  return auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: change.guildId,
      // The change concerns no member: the moderator, as the event contract says.
      userId: change.moderatorId,
      moderatorId: change.moderatorId,
      reason: null,
      expiresAt: null,
      action,
      details: { ...details, ...change.details },
    },
    now,
  );
}

/** The envelope with `data.details` computed by the database (from the row as it was), plus the caller's. */
const withDetails = (event: LockdownEvent, details: SQL, change: SavedReasonChange) =>
  sql`jsonb_set(${JSON.stringify(event)}::jsonb, '{data,details}', ${details} || ${JSON.stringify(change.details ?? {})}::jsonb)`;

export type SaveOutcome =
  | { outcome: 'saved' | 'replaced'; previousText: string | null; event: LockdownEvent }
  | { outcome: 'unchanged' }
  | { outcome: 'full' };

/**
 * Saves `text` under `name`, replacing the text of a name already saved (any case); refused when
 * the server already has MAX_SAVED_REASONS others. One batch: the lock, the row as it was, the
 * event (written only if the row changes), the upsert.
 */
export async function saveReason(
  db: EdgeDatabase,
  change: SavedReasonChange & { text: string },
  now: Date,
): Promise<SaveOutcome> {
  const { guildId, name, text, moderatorId } = change;
  const key = withKey(guildId, name);
  const existing = sql`exists (select 1 from ${savedReasons} where ${key})`;
  const room = sql`(select count(*) from ${savedReasons} where ${inGuild(guildId)}) < ${MAX_SAVED_REASONS}`;
  const allowed = sql`(${existing} or ${room})`;
  const same = sql`exists (select 1 from ${savedReasons}
    where ${key} and ${savedReasons.name} = ${name} and ${savedReasons.text} = ${text})`;
  const details = sql`jsonb_build_object('Name', ${name}::text, 'Text', ${text}::text)
    || coalesce((select jsonb_build_object('Previous text', ${savedReasons.text})
                 from ${savedReasons} where ${key}), '{}'::jsonb)`;
  const envelope = reasonsEvent(change, 'reasons.saved', { Name: name, Text: text }, now);
  const at = now.toISOString();

  const [, before, queued] = await db.batch([
    lockGuildReasons(db, guildId),
    db.execute<{ previous_text: string | null }>(
      sql`select (select ${savedReasons.text} from ${savedReasons} where ${key}) as previous_text`,
    ),
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(guildId, sql`${allowed} and not ${same}`),
      envelope,
      now,
      withDetails(envelope, details, change),
    ),
    db
      .insert(savedReasons)
      .select(
        sql`select ${guildId}, ${savedReasonKey(name)}, ${name}, ${text}, ${moderatorId},
          ${at}::timestamptz, ${at}::timestamptz where ${allowed}`,
      )
      .onConflictDoUpdate({
        target: [savedReasons.guildId, savedReasons.nameKey],
        set: { name, text, updatedAt: now },
        setWhere: sql`(${savedReasons.name}, ${savedReasons.text}) is distinct from (excluded.name, excluded.text)`,
      }),
  ]);
  const previousText = before.rows[0]?.previous_text ?? null;
  if (queued.rows.length === 0) return previousText === null ? { outcome: 'full' } : { outcome: 'unchanged' };
  const eventDetails: Record<string, string> = { Name: name, Text: text };
  if (previousText !== null) eventDetails['Previous text'] = previousText;
  Object.assign(eventDetails, change.details);
  const event = sequenced({ ...envelope, data: { ...envelope.data, details: eventDetails } }, queued);
  return { outcome: previousText === null ? 'saved' : 'replaced', previousText, event };
}

/** Removes the saved reason `name` (any case); null when there is none. One batch, as saveReason. */
export async function removeReason(
  db: EdgeDatabase,
  change: SavedReasonChange,
  now: Date,
): Promise<{ removed: SavedReason; event: LockdownEvent } | null> {
  const { guildId, name } = change;
  const key = withKey(guildId, name);
  const envelope = reasonsEvent(change, 'reasons.removed', { Name: name }, now);
  const details = sql`(select jsonb_build_object('Name', ${savedReasons.name}, 'Text', ${savedReasons.text})
    from ${savedReasons} where ${key})`;
  const [, queued, deleted] = await db.batch([
    lockGuildReasons(db, guildId),
    // Queued before the delete, while the row is still there to be named; under the lock the row
    // that exists now is the one this batch deletes.
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(guildId, sql`exists (select 1 from ${savedReasons} where ${key})`),
      envelope,
      now,
      withDetails(envelope, details, change),
    ),
    db.delete(savedReasons).where(key).returning({ name: savedReasons.name, text: savedReasons.text }),
  ]);
  const removed = deleted[0];
  if (!removed) return null;
  const event = sequenced(
    {
      ...envelope,
      data: { ...envelope.data, details: { Name: removed.name, Text: removed.text, ...change.details } },
    },
    queued,
  );
  return { removed, event };
}
