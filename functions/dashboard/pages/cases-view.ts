// The cases page: the filter form (a GET form, so the URL holds the filters and a link can be
// shared), one page of cases newest first, and Previous/Next links that keep every filter and
// carry the keyset cursor (the edge row's case number). Members link to their history page, and
// names the user directory knows stand beside ids; a member searched by name says whom it matched.
// Pure rendering of plain data.
import { html } from 'hono/html';
import { caseActions } from '../../../shared/actions.ts';
import { type PageRequest, searchableSources } from '../../commands/cases/case-filters.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { type KnownUser, MAX_NAME_MATCHES as MAX_MATCHES_SAID } from '../../users/known-users.ts';
import type { DashboardGuild } from '../context.ts';
import { type CasesQuery, casesHref } from './cases-query.ts';
import { actionTitle, discordText, sourceName, stateName, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';
import { displayName, memberHref, memberLink, type UserNames, userText } from './user-label.ts';

export interface CasesPageData {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
  query: CasesQuery;
  rows: readonly CaseRow[];
  /** Whether there are newer and older pages than this one. */
  position: { newer: boolean; older: boolean };
  /** The names known of the page's members and moderators. */
  names: UserNames;
  /** When the member filter is a name: the users it matched (null for an id or no member filter). */
  matched: readonly KnownUser[] | null;
}

export type PagePosition = CasesPageData['position'];

/** Where a page read in `direction` stands, from whether the read found one row more. */
export function pagePosition(
  query: Pick<CasesQuery, 'page'>,
  more: boolean,
): { newer: boolean; older: boolean } {
  if (!query.page) return { newer: false, older: more };
  return query.page.direction === 'older' ? { newer: true, older: more } : { newer: more, older: true };
}

const REASON_SHOWN = 140;

function shortReason(reason: string | null): string {
  if (!reason) return '—';
  const chars = Array.from(discordText(reason));
  return chars.length > REASON_SHOWN ? `${chars.slice(0, REASON_SHOWN - 1).join('')}…` : chars.join('');
}

function filterForm(data: CasesPageData): Html {
  const { filters } = data.query;
  const option = (value: string, label: string, selected: string | null | undefined) =>
    html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
  return html`<form class="panel filters" method="get" action="/dashboard/guilds/${encodeURIComponent(data.guild.id)}/cases">
<div><label for="member">Member id or name</label><input id="member" name="member" maxlength="32" value="${filters.userId ?? data.query.memberName ?? ''}"></div>
<div><label for="moderator">Moderator id</label><input id="moderator" name="moderator" inputmode="numeric" value="${filters.moderatorId ?? ''}"></div>
<div><label for="action">Action</label><select id="action" name="action">${option('', 'Any', filters.action ?? '')}${caseActions.map((a) => option(a, actionTitle(a), filters.action))}</select></div>
<div><label for="source">Source</label><select id="source" name="source">${option('', 'Any', filters.source ?? '')}${searchableSources.map((s) => option(s, sourceName(s), filters.source))}</select></div>
<div><label for="from">From</label><input id="from" name="from" type="date" value="${data.query.from ?? ''}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${data.query.to ?? ''}"></div>
<div><button type="submit">Search</button></div>
<div><a href="/dashboard/guilds/${encodeURIComponent(data.guild.id)}/cases">Clear filters</a></div>
</form>`;
}

function caseRowHtml(guildId: string, names: UserNames, row: CaseRow): Html {
  // Deleted cases never come out of the search (as in /cases), so no row here is marked deleted.
  return html`<tr>
<td data-label="Case"><a href="/dashboard/guilds/${encodeURIComponent(guildId)}/cases/${row.caseNumber}">#${row.caseNumber}</a></td>
<td data-label="Action">${actionTitle(row.action)}</td>
<td data-label="Member">${memberLink(guildId, names, row.userId)}</td>
<td data-label="Moderator">${userText(names, row.moderatorId)}</td>
<td data-label="Reason" class="reason">${shortReason(row.reason)}</td>
<td data-label="Source">${sourceName(row.source)}</td>
<td data-label="State">${stateName(row.state)}</td>
<td data-label="Date">${utc(row.createdAt)}</td>
</tr>`;
}

/**
 * A page of cases as a table with its Previous/Next links (the cases page and a member's page);
 * `href` writes the link of a page, `empty` is said when there are none.
 */
export function casesTable(
  guildId: string,
  rows: readonly CaseRow[],
  names: UserNames,
  position: PagePosition,
  href: (page: PageRequest) => string,
  empty: string,
): Html {
  const first = rows[0];
  const last = rows.at(-1);
  const previous =
    position.newer && first
      ? html`<a rel="prev" href="${href({ direction: 'newer', cursor: first.caseNumber })}">← Previous</a>`
      : html`<span></span>`;
  const next =
    position.older && last
      ? html`<a rel="next" href="${href({ direction: 'older', cursor: last.caseNumber })}">Next →</a>`
      : html`<span></span>`;
  if (rows.length === 0) return html`<p class="panel muted">${empty}</p>`;
  return html`<div class="panel"><table>
<thead><tr><th>Case</th><th>Action</th><th>Member</th><th>Moderator</th><th>Reason</th><th>Source</th><th>State</th><th>Date</th></tr></thead>
<tbody>${rows.map((row) => caseRowHtml(guildId, names, row))}</tbody>
</table>
<nav class="pager">${previous}${next}</nav></div>`;
}

/** Whom a member name matched: each linked to their history, or that it matched nobody. */
function matchedLine(data: CasesPageData): Html {
  const { matched, query } = data;
  if (matched === null) return html``;
  if (matched.length === 0)
    return html`<p class="notice">No member of this server with cases is known by a name starting with “${query.memberName}”.</p>`;
  const links = matched.map(
    (u, i) =>
      html`${i > 0 ? ', ' : ''}<a href="${memberHref(data.guild.id, u.id)}">${displayName(u)}</a> <span class="muted">${u.id}</span>`,
  );
  return html`<p class="notice matched">“${query.memberName}” matched ${matched.length === 1 ? '1 member' : `${matched.length} members`}${matched.length >= MAX_MATCHES_SAID ? ' (the first ones; type more of the name to narrow it)' : ''}: ${links}</p>`;
}

export function renderCasesPage(user: LayoutUser, data: CasesPageData): Html {
  const { guild, query, rows, position, names } = data;
  const list = casesTable(
    guild.id,
    rows,
    names,
    position,
    (page) => casesHref(guild.id, query, page),
    'No cases match these filters.',
  );
  const body = html`${guildNav(guild, 'cases')}
<h1>Cases</h1>
${filterForm(data)}
${matchedLine(data)}
${list}`;
  return layout(`Cases · ${guild.name}`, user, body);
}
