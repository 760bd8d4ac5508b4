// The cases page's query string: the filters and the page cursor a shared link carries, parsed
// strictly (every parameter checked, unknown or repeated ones refused: a link means one thing), and
// the links the page writes back, which keep every filter. Pure.
import { type CaseAction, caseActions } from '../../../shared/actions.ts';
import { MAX_CASE_NUMBER } from '../../../shared/commands/limits.ts';
import { isSnowflake } from '../../../shared/snowflakes.ts';
import {
  type CaseFilters,
  type PageRequest,
  type SearchableSource,
  searchableSources,
} from '../../commands/cases/case-filters.ts';

/** Cases a dashboard page shows (the chat's /cases shows 10: an embed is smaller than a page). */
export const DASHBOARD_PAGE_SIZE = 25;

export const CASES_QUERY_KEYS = [
  'member',
  'moderator',
  'action',
  'source',
  'from',
  'to',
  'before',
  'after',
] as const;
type CasesQueryKey = (typeof CASES_QUERY_KEYS)[number];

export interface CasesQuery {
  filters: CaseFilters;
  page: PageRequest | null;
  /** The dates as typed (YYYY-MM-DD), to fill the form and the links again. */
  from: string | null;
  to: string | null;
}

export type ParsedCasesQuery = { ok: true; query: CasesQuery } | { ok: false; error: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CASE_NUMBER = /^[1-9]\d{0,9}$/;
const DAY_MS = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD day, or null when it is no real calendar day. */
export function parseDay(value: string): Date | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Date.UTC rolls 2026-02-31 over into March: such a day is refused, not moved.
  return date.toISOString().slice(0, 10) === value && date.getUTCFullYear() >= 2015 ? date : null;
}

const isCaseAction = (value: string): value is CaseAction =>
  (caseActions as readonly string[]).includes(value);
const isSource = (value: string): value is SearchableSource =>
  (searchableSources as readonly string[]).includes(value);

/** The query of a cases page; an empty value counts as not given (an empty form field). */
export function parseCasesQuery(params: URLSearchParams): ParsedCasesQuery {
  const seen = new Map<CasesQueryKey, string>();
  for (const [key, value] of params) {
    if (!(CASES_QUERY_KEYS as readonly string[]).includes(key))
      return { ok: false, error: `Unknown parameter "${key}".` };
    if (seen.has(key as CasesQueryKey)) return { ok: false, error: `"${key}" is given more than once.` };
    seen.set(key as CasesQueryKey, value.trim());
  }
  const get = (key: CasesQueryKey): string | null => seen.get(key) || null;
  const member = get('member');
  if (member !== null && !isSnowflake(member))
    return { ok: false, error: 'Member must be a Discord user id (a number of 17 to 20 digits).' };
  const moderator = get('moderator');
  if (moderator !== null && !isSnowflake(moderator))
    return { ok: false, error: 'Moderator must be a Discord user id (a number of 17 to 20 digits).' };
  const action = get('action');
  if (action !== null && !isCaseAction(action))
    return { ok: false, error: `Action must be one of: ${caseActions.join(', ')}.` };
  const source = get('source');
  if (source !== null && !isSource(source))
    return { ok: false, error: `Source must be one of: ${searchableSources.join(', ')}.` };
  const from = get('from');
  const since = from === null ? null : parseDay(from);
  if (from !== null && since === null) return { ok: false, error: 'From must be a date (YYYY-MM-DD).' };
  const to = get('to');
  const toDay = to === null ? null : parseDay(to);
  if (to !== null && toDay === null) return { ok: false, error: 'To must be a date (YYYY-MM-DD).' };
  if (since && toDay && toDay < since) return { ok: false, error: 'To must not be before From.' };
  const before = get('before');
  const after = get('after');
  if (before !== null && after !== null)
    return { ok: false, error: 'A page has either "before" or "after", not both.' };
  const cursor = before ?? after;
  if (cursor !== null && (!CASE_NUMBER.test(cursor) || Number(cursor) > MAX_CASE_NUMBER))
    return { ok: false, error: 'The page cursor must be a case number.' };
  return {
    ok: true,
    query: {
      filters: {
        userId: member,
        moderatorId: moderator,
        action: action as CaseAction | null,
        source: source as SearchableSource | null,
        since,
        // `to` is inclusive: cases dated before the next day's midnight (UTC).
        until: toDay ? new Date(toDay.getTime() + DAY_MS) : null,
      },
      page:
        cursor === null ? null : { direction: before !== null ? 'older' : 'newer', cursor: Number(cursor) },
      from,
      to,
    },
  };
}

/** The path of the cases page with the query's filters and, optionally, a cursor. */
export function casesHref(guildId: string, query: CasesQuery, page: PageRequest | null): string {
  const params = new URLSearchParams();
  const { filters } = query;
  if (filters.userId) params.set('member', filters.userId);
  if (filters.moderatorId) params.set('moderator', filters.moderatorId);
  if (filters.action) params.set('action', filters.action);
  if (filters.source) params.set('source', filters.source);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (page) params.set(page.direction === 'older' ? 'before' : 'after', String(page.cursor));
  const search = params.toString();
  return `/dashboard/guilds/${encodeURIComponent(guildId)}/cases${search ? `?${search}` : ''}`;
}
