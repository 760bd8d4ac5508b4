// The appeals queue's query string, parsed before anything is read: which appeals (`state`:
// pending, decided or all), where the decided list resumes (`before`: the keyset cursor of the last
// decision shown, `<decided at in ms>_<appeal id>`), and the notice a decision redirects back with
// (`notice`: one of a fixed set of keys, so no text from the URL is ever shown). Pure.
import { isUuid } from '../../../shared/uuids.ts';

export const appealFilters = ['pending', 'decided', 'all'] as const;
export type AppealFilter = (typeof appealFilters)[number];

/** What a decision redirects back with; each key has its fixed sentence on the page. */
export const appealNotices = {
  accepted: 'Appeal accepted: the ban was lifted.',
  denied: 'Appeal denied: the ban stays.',
} as const;
export type AppealNotice = keyof typeof appealNotices;

/** Where the decided list resumes: after the decision at `decidedAt` of appeal `id` (newest first). */
export interface DecidedCursor {
  decidedAt: Date;
  id: string;
}

export interface AppealsQuery {
  filter: AppealFilter;
  before: DecidedCursor | null;
  notice: AppealNotice | null;
}

export type ParsedAppealsQuery = { ok: true; query: AppealsQuery } | { ok: false; error: string };

const CURSOR = /^(\d{1,15})_([0-9a-f-]{36})$/;

export function formatCursor(cursor: DecidedCursor): string {
  return `${cursor.decidedAt.getTime()}_${cursor.id}`;
}

export function parseCursor(value: string): DecidedCursor | null {
  const match = CURSOR.exec(value);
  if (!match?.[1] || !match[2] || !isUuid(match[2])) return null;
  const decidedAt = new Date(Number(match[1]));
  return Number.isNaN(decidedAt.getTime()) ? null : { decidedAt, id: match[2] };
}

export function parseAppealsQuery(params: URLSearchParams): ParsedAppealsQuery {
  for (const key of params.keys()) {
    if (key !== 'state' && key !== 'before' && key !== 'notice')
      return { ok: false, error: `Unknown search field "${key}".` };
  }
  const state = params.get('state') ?? 'all';
  if (!(appealFilters as readonly string[]).includes(state))
    return { ok: false, error: 'Show pending, decided or all appeals.' };
  const filter = state as AppealFilter;
  const rawBefore = params.get('before');
  let before: DecidedCursor | null = null;
  if (rawBefore !== null) {
    before = parseCursor(rawBefore);
    if (!before) return { ok: false, error: 'That page link is not one of ours.' };
    if (filter === 'pending') return { ok: false, error: 'Pending appeals are not paged.' };
  }
  // An unknown notice is dropped, not refused: it is only ever a word we put there.
  const rawNotice = params.get('notice');
  const notice =
    rawNotice !== null && Object.hasOwn(appealNotices, rawNotice) ? (rawNotice as AppealNotice) : null;
  return { ok: true, query: { filter, before, notice } };
}

/** The queue's URL with this filter (and the decided list resumed at `before`). */
export function appealsHref(guildId: string, filter: AppealFilter, before?: DecidedCursor): string {
  const params = new URLSearchParams();
  if (filter !== 'all') params.set('state', filter);
  if (before) params.set('before', formatCursor(before));
  const search = params.toString();
  return `/dashboard/guilds/${encodeURIComponent(guildId)}/appeals${search ? `?${search}` : ''}`;
}
