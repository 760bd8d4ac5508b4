// Stream entries as the relay sees them: parsing ioredis replies, decoding the envelope (anything the
// relay cannot act on is "undecodable" and goes to the dead-letter store), and ordering entry ids.
// A well-formed envelope of an event type this relay does not know (a newer edge's) is neither: it
// is "unknown", acked and counted without a post, and its number counts as done for the guild's order.
// Besides events (field `event`, written by the edge) the stream carries the relay's own replay
// requests (field `replay`, written by `npm run dlq -- replay`): "replay these dead letters of this
// guild here", so they go out through the guild's lane at this point of its order.
import { decodeEvent, EVENT_STREAM_FIELD, isEventType, type LockdownEvent } from '../../shared/events.ts';
import { isUuidAnyCase } from '../../shared/uuids.ts';

/** One stream entry, as read. `fields` is null when the entry was trimmed away while pending. */
export interface RawEntry {
  id: string;
  fields: string[] | null;
}

/** The field of a replay request; its value is a {@link ReplayRequest} as JSON. */
export const REPLAY_STREAM_FIELD = 'replay';

/** Dead letters of one guild to replay, oldest first, before the guild's newer events. */
export interface ReplayRequest {
  guildId: string;
  deadLetterIds: string[];
}

/** An envelope of an event type this relay does not know: what identifies it. */
export interface UnknownEvent {
  eventId: string;
  eventType: string;
  guildId: string | null;
  sequence: number | null;
}

export type DecodedEntry =
  | { ok: true; id: string; raw: string; event: LockdownEvent; replay?: undefined; unknown?: undefined }
  | { ok: true; id: string; raw: string; replay: ReplayRequest; event?: undefined; unknown?: undefined }
  | { ok: true; id: string; raw: string; unknown: UnknownEvent; event?: undefined; replay?: undefined }
  | { ok: false; id: string; raw: string; error: string; eventId: string | null; guildId: string | null };

/** The guild an entry belongs to, when it can be told. */
export function entryGuild(entry: DecodedEntry): string | null {
  if (!entry.ok) return entry.guildId;
  if (entry.unknown) return entry.unknown.guildId;
  return entry.replay ? entry.replay.guildId : entry.event.data.guildId;
}

function decodeReplay(raw: string): ReplayRequest | null {
  try {
    const value = JSON.parse(raw) as Partial<ReplayRequest> | null;
    const ids = value?.deadLetterIds;
    if (typeof value?.guildId !== 'string' || !snowflakePattern.test(value.guildId)) return null;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && isUuidAnyCase(id))) return null;
    return { guildId: value.guildId, deadLetterIds: ids };
  } catch {
    return null;
  }
}

const snowflakePattern = /^\d{1,20}$/;

/** Entries of an XREADGROUP / XRANGE / XAUTOCLAIM reply (`[[id, [field, value, …] | null], …]`). */
export function parseEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: RawEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const fields = Array.isArray(item[1]) ? (item[1] as unknown[]).map((f) => String(f)) : null;
    entries.push({ id: item[0], fields });
  }
  return entries;
}

/** The entries of the first stream of an XREADGROUP reply (`[[key, entries]]` or null). */
export function parseReadReply(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0] as unknown[];
  return Array.isArray(first) ? parseEntries(first[1]) : [];
}

function fieldValue(fields: string[], name: string): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] as string;
  return null;
}

/** Decodes an entry's envelope; never throws. Event ids must be UUIDs (they key the dedupe table). */
export function decodeEntry(entry: RawEntry): DecodedEntry {
  if (entry.fields === null) {
    return {
      ok: false,
      id: entry.id,
      raw: '',
      error: 'entry was trimmed from the stream',
      eventId: null,
      guildId: null,
    };
  }
  const replayRaw = fieldValue(entry.fields, REPLAY_STREAM_FIELD);
  if (replayRaw !== null) {
    const replay = decodeReplay(replayRaw);
    if (replay) return { ok: true, id: entry.id, raw: replayRaw, replay };
    return {
      ok: false,
      id: entry.id,
      raw: replayRaw,
      error: 'bad replay request',
      eventId: null,
      guildId: null,
    };
  }
  const raw = fieldValue(entry.fields, EVENT_STREAM_FIELD);
  if (raw === null) {
    const error = `no "${EVENT_STREAM_FIELD}" field`;
    return {
      ok: false,
      id: entry.id,
      raw: JSON.stringify(entry.fields),
      error,
      eventId: null,
      guildId: null,
    };
  }
  const decoded = decodeEvent(raw);
  if (decoded.ok && isUuidAnyCase(decoded.event.eventId)) {
    return { ok: true, id: entry.id, raw, event: decoded.event };
  }
  const unknown = decoded.ok ? null : unknownEventOf(raw);
  if (unknown) return { ok: true, id: entry.id, raw, unknown };
  // Keep what identifies the entry when it can be read, so `/modlog status` can count it for its guild.
  let eventId: string | null = null;
  let guildId: string | null = null;
  try {
    const parsed = JSON.parse(raw) as { eventId?: unknown; data?: { guildId?: unknown } } | null;
    if (typeof parsed?.eventId === 'string' && isUuidAnyCase(parsed.eventId)) eventId = parsed.eventId;
    const g = parsed?.data?.guildId;
    if (typeof g === 'string' && snowflakePattern.test(g)) guildId = g;
  } catch {
    // not JSON: nothing to keep
  }
  const error = decoded.ok ? 'eventId is not a UUID' : decoded.error;
  return { ok: false, id: entry.id, raw, error, eventId, guildId };
}

/** Event type names as the contract spells them (`noun:verb`), bounded: anything else is garbage. */
const eventTypePattern = /^[a-z][a-z0-9_.-]{0,30}:[a-z][a-z0-9_.-]{0,30}$/;

/**
 * The envelope, when it is well formed (UUID `eventId`, a valid `timestamp`, a `data` object, a
 * sane `eventType`) but of a type this relay does not know; null for anything else.
 */
export function unknownEventOf(raw: string | unknown): UnknownEvent | null {
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const e = parsed as Record<string, unknown>;
  const data = e.data as Record<string, unknown> | null | undefined;
  if (typeof e.eventId !== 'string' || !isUuidAnyCase(e.eventId)) return null;
  if (typeof e.eventType !== 'string' || !eventTypePattern.test(e.eventType) || isEventType(e.eventType))
    return null;
  if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))) return null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const guildId =
    typeof data.guildId === 'string' && snowflakePattern.test(data.guildId) ? data.guildId : null;
  const sequence = Number.isInteger(e.sequence) && (e.sequence as number) > 0 ? (e.sequence as number) : null;
  return { eventId: e.eventId, eventType: e.eventType, guildId, sequence };
}

/** XINFO replies are flat `[name, value, …]` lists. */
export function flatToObject(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(value)) return out;
  for (let i = 0; i + 1 < value.length; i += 2) out[String(value[i])] = value[i + 1];
  return out;
}

/** Compares stream entry ids (`<ms>-<seq>`) numerically; text order is wrong once lengths differ. */
export function compareStreamIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ams = BigInt(am);
  const bms = BigInt(bm);
  if (ams !== bms) return ams < bms ? -1 : 1;
  const aseq = BigInt(as);
  const bseq = BigInt(bs);
  return aseq === bseq ? 0 : aseq < bseq ? -1 : 1;
}

/** The milliseconds part of an entry id: when Redis added it. */
export function streamIdTime(id: string): number {
  return Number(id.split('-')[0]);
}

/** Inserts `item` into `list` (sorted by id) at its place; appends in the common in-order case. */
export function insertSorted<T extends { entryId: string }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && compareStreamIds((list[i - 1] as T).entryId, item.entryId) > 0) i--;
  list.splice(i, 0, item);
}
