// What a /cases search asks for, and the page buttons' custom_ids that carry it. Pure.
// A custom_id is `cases:<direction>:<cursor>:<user>:<moderator>:<action>:<source>:<since>` (empty
// parts for filters not given): the filters of the first page, kept through every click, and the
// keyset cursor (the case number of the edge row of the page clicked from). It comes back through
// the client, so every part is checked again as strictly as a typed option; the guild is always
// the clicking interaction's. `since` is carried as the absolute lower bound (unix seconds) worked
// out when the command ran, so paging does not drift as time passes.
import {
  actions,
  type CaseAction,
  type CaseSource,
  caseActions,
  caseSources,
} from '../../../shared/actions.ts';
import { MAX_CASE_NUMBER } from '../../../shared/commands/limits.ts';
import { checkDuration, type DurationBounds } from '../../../shared/duration.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import { isSnowflake } from '../../../shared/snowflakes.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { CommandOptions } from '../../interactions/options.ts';

/** The custom_id prefix of the page buttons (functions/components/registry.ts). */
export const CASES_COMPONENT_PREFIX = 'cases';
/** Discord's limit on a custom_id. */
export const MAX_CUSTOM_ID_LENGTH = 100;
/** Cases a page shows; one more is read to learn whether there is a next page. */
export const CASES_PAGE_SIZE = 10;

/** The `source` choices of /cases (as shared/commands/cases.ts offers them: the scheduler's lifts are not searched). */
export const searchableSources = caseSources.filter((s) => s !== 'scheduler');
export type SearchableSource = Exclude<CaseSource, 'scheduler'>;

/** `since`: a minute to ten years back. */
export const SINCE_BOUNDS: DurationBounds = { minMs: 60_000, maxMs: 10 * 365 * 86_400_000 };
/** How far ahead of our clock a carried `since` may be (clocks of two Worker instances differ). */
const CLOCK_SKEW_MS = 60_000;

export interface CaseFilters {
  userId: string | null;
  moderatorId: string | null;
  action: CaseAction | null;
  source: SearchableSource | null;
  /** Cases dated at or after this instant (whole seconds); with it, pages go by date. */
  since: Date | null;
  /**
   * Cases dated before this instant (the dashboard's `to` date; /cases has none); with it too,
   * pages go by date.
   */
  until?: Date | null;
  /**
   * Cases of any of these members (the dashboard's member name, resolved to the ids it matches;
   * /cases has none). An empty list matches nothing.
   */
  userIds?: readonly string[] | null;
}

/** `older`: cases after the cursor in the list (further down); `newer`: before it. */
export type PageDirection = 'older' | 'newer';
export interface PageRequest {
  direction: PageDirection;
  /** The case number of the row the page starts after (exclusive). */
  cursor: number;
}

export const noFilters: CaseFilters = {
  userId: null,
  moderatorId: null,
  action: null,
  source: null,
  since: null,
};

const isCaseAction = (value: string): value is CaseAction =>
  (caseActions as readonly string[]).includes(value);
const isSearchableSource = (value: string): value is SearchableSource =>
  (searchableSources as readonly string[]).includes(value);

/** The filters of a typed /cases (choices re-checked: a payload is never trusted). */
export function readCaseFilters(options: CommandOptions, now: Date): CaseFilters {
  const action = options.string('action');
  if (action !== null && !isCaseAction(action))
    throw new CommandError('invalid_option', `\`action\` must be one of: ${caseActions.join(', ')}.`);
  const source = options.string('source');
  if (source !== null && !isSearchableSource(source))
    throw new CommandError('invalid_option', `\`source\` must be one of: ${searchableSources.join(', ')}.`);
  const rawSince = options.string('since');
  let since: Date | null = null;
  if (rawSince !== null && rawSince.trim() !== '') {
    const parsed = checkDuration(rawSince, SINCE_BOUNDS);
    if (!parsed.ok) throw new CommandError('invalid_option', `\`since\`: ${parsed.error}`);
    since = new Date(Math.floor((now.getTime() - parsed.ms) / 1000) * 1000);
  }
  return {
    userId: options.user('user')?.id ?? null,
    moderatorId: options.user('moderator')?.id ?? null,
    action,
    source,
    since,
  };
}

/** The custom_id of a page button. */
export function pageCustomId(filters: CaseFilters, page: PageRequest): string {
  const since = filters.since ? String(Math.floor(filters.since.getTime() / 1000)) : '';
  return [
    CASES_COMPONENT_PREFIX,
    page.direction === 'older' ? 'o' : 'n',
    String(page.cursor),
    filters.userId ?? '',
    filters.moderatorId ?? '',
    filters.action ?? '',
    filters.source ?? '',
    since,
  ].join(':');
}

const CASE_NUMBER = /^[1-9]\d{0,9}$/;
const UNIX_SECONDS = /^[1-9]\d{0,10}$/;

/**
 * The filters and page a button's args (after the prefix) name, or null when any part is not one a
 * page button of ours could carry.
 */
export function parsePageCustomId(
  args: readonly string[],
  now: Date,
): { filters: CaseFilters; page: PageRequest } | null {
  if (args.length !== 7) return null;
  const [direction, cursor, userId, moderatorId, action, source, since] = args as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (direction !== 'o' && direction !== 'n') return null;
  if (!CASE_NUMBER.test(cursor) || Number(cursor) > MAX_CASE_NUMBER) return null;
  if (userId !== '' && !isSnowflake(userId)) return null;
  if (moderatorId !== '' && !isSnowflake(moderatorId)) return null;
  if (action !== '' && !isCaseAction(action)) return null;
  if (source !== '' && !isSearchableSource(source)) return null;
  let sinceDate: Date | null = null;
  if (since !== '') {
    if (!UNIX_SECONDS.test(since)) return null;
    sinceDate = new Date(Number(since) * 1000);
    if (sinceDate.getTime() > now.getTime() + CLOCK_SKEW_MS) return null;
  }
  return {
    filters: {
      userId: userId || null,
      moderatorId: moderatorId || null,
      action: action === '' ? null : action,
      source: source === '' ? null : source,
      since: sinceDate,
    },
    page: { direction: direction === 'o' ? 'older' : 'newer', cursor: Number(cursor) },
  };
}

/** "member <@1> · by <@2> · Ban · from Discord · since <t:…:f>", or null when nothing is filtered. */
export function describeFilters(filters: CaseFilters): string | null {
  const parts: string[] = [];
  if (filters.userId) parts.push(`member <@${filters.userId}>`);
  if (filters.moderatorId) parts.push(`by <@${filters.moderatorId}>`);
  if (filters.action) parts.push(actions[filters.action].title);
  if (filters.source) parts.push(`source: ${filters.source}`);
  if (filters.since) parts.push(`since ${discordTime(filters.since, 'f')}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
