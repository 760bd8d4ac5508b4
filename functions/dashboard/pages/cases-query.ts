// The cases page's query string: the filters and the page cursor a shared link carries, parsed
// strictly (every parameter checked, unknown or repeated ones refused: a link means one thing), and
// the links the page writes back, which keep every filter. The member is an id or a name: a name
// is kept as typed (`memberName`) for the route to resolve through the user directory
// (functions/users/known-users.ts) into `filters.userIds`. Pure.
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
  /** The member filter when it is a name (a prefix of a username or display name), not an id. */
  memberName: string | null;
  /** The dates as typed (YYYY-MM-DD), to fill the form and the links again. */
  from: string | null;
  to: string | null;
}

export type ParsedCasesQuery = { ok: true; query: CasesQuery } | { ok: false; error: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CASE_NUMBER = /^[1-9]\d{0,9}$/;
const DAY_MS = 86_400_000;
const DIGITS = /^\d+$/;
/** Discord's usernames and display names are at most 32 characters. */
export const MAX_MEMBER_NAME = 32;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A typed member: an id (all digits, so it must be a whole one), or a name; an error otherwise. */
export function parseMember(value: string): { userId: string } | { name: string } | { error: string } {
  if (DIGITS.test(value))
    return isSnowflake(value)
      ? { userId: value }
      : { error: 'Member must be a Discord user id (a number of 17 to 20 digits) or a name.' };
  if (Array.from(value).length > MAX_MEMBER_NAME || CONTROL.test(value))
    return { error: `A member name has at most ${MAX_MEMBER_NAME} characters.` };
  return { name: value };
}

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
  const rawMember = get('member');
  const member = rawMember === null ? null : parseMember(rawMember);
  if (member && 'error' in member) return { ok: false, error: member.error };
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
        userId: member && 'userId' in member ? member.userId : null,
        moderatorId: moderator,
        action: action as CaseAction | null,
        source: source as SearchableSource | null,
        since,
        // `to` is inclusive: cases dated before the next day's midnight (UTC).
        until: toDay ? new Date(toDay.getTime() + DAY_MS) : null,
      },
      page:
        cursor === null ? null : { direction: before !== null ? 'older' : 'newer', cursor: Number(cursor) },
      memberName: member && 'name' in member ? member.name : null,
      from,
      to,
    },
  };
}

/** The path of the cases page with the query's filters and, optionally, a cursor. */
export function casesHref(guildId: string, query: CasesQuery, page: PageRequest | null): string {
  const params = new URLSearchParams();
  const { filters } = query;
  const member = filters.userId ?? query.memberName;
  if (member) params.set('member', member);
  if (filters.moderatorId) params.set('moderator', filters.moderatorId);
  if (filters.action) params.set('action', filters.action);
  if (filters.source) params.set('source', filters.source);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (page) params.set(page.direction === 'older' ? 'before' : 'after', String(page.cursor));
  const search = params.toString();
  return `/dashboard/guilds/${encodeURIComponent(guildId)}/cases${search ? `?${search}` : ''}`;
}

/** The member page's query: only a page cursor (the member is in the path), checked as the cases page's. */
export function parseMemberQuery(
  params: URLSearchParams,
): { ok: true; page: PageRequest | null } | { ok: false; error: string } {
  for (const key of params.keys())
    if (key !== 'before' && key !== 'after') return { ok: false, error: `Unknown parameter "${key}".` };
  const parsed = parseCasesQuery(params);
  return parsed.ok ? { ok: true, page: parsed.query.page } : parsed;
}

/** The member page's path, optionally with a cursor. */
export function memberPageHref(guildId: string, userId: string, page: PageRequest | null): string {
  const base = `/dashboard/guilds/${encodeURIComponent(guildId)}/members/${encodeURIComponent(userId)}`;
  return page ? `${base}?${page.direction === 'older' ? 'before' : 'after'}=${page.cursor}` : base;
}
