// The cases page: the filter form (a GET form, so the URL holds the filters and a link can be
// shared), one page of cases newest first, and Previous/Next links that keep every filter and
// carry the keyset cursor (the edge row's case number). Pure rendering of plain data.
import { html } from 'hono/html';
import { caseActions } from '../../../shared/actions.ts';
import { searchableSources } from '../../commands/cases/case-filters.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import type { DashboardGuild } from '../context.ts';
import { type CasesQuery, casesHref } from './cases-query.ts';
import { actionTitle, discordText, sourceName, stateName, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';

export interface CasesPageData {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
  query: CasesQuery;
  rows: readonly CaseRow[];
  /** Whether there are newer and older pages than this one. */
  position: { newer: boolean; older: boolean };
}

/** Where a page read in `direction` stands, from whether the read found one row more. */
export function pagePosition(query: CasesQuery, more: boolean): { newer: boolean; older: boolean } {
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
<div><label for="member">Member id</label><input id="member" name="member" inputmode="numeric" value="${filters.userId ?? ''}"></div>
<div><label for="moderator">Moderator id</label><input id="moderator" name="moderator" inputmode="numeric" value="${filters.moderatorId ?? ''}"></div>
<div><label for="action">Action</label><select id="action" name="action">${option('', 'Any', filters.action ?? '')}${caseActions.map((a) => option(a, actionTitle(a), filters.action))}</select></div>
<div><label for="source">Source</label><select id="source" name="source">${option('', 'Any', filters.source ?? '')}${searchableSources.map((s) => option(s, sourceName(s), filters.source))}</select></div>
<div><label for="from">From</label><input id="from" name="from" type="date" value="${data.query.from ?? ''}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${data.query.to ?? ''}"></div>
<div><button type="submit">Search</button></div>
<div><a href="/dashboard/guilds/${encodeURIComponent(data.guild.id)}/cases">Clear filters</a></div>
</form>`;
}

function caseRowHtml(guildId: string, row: CaseRow): Html {
  // Deleted cases never come out of the search (as in /cases), so no row here is marked deleted.
  return html`<tr>
<td data-label="Case"><a href="/dashboard/guilds/${encodeURIComponent(guildId)}/cases/${row.caseNumber}">#${row.caseNumber}</a></td>
<td data-label="Action">${actionTitle(row.action)}</td>
<td data-label="Member">${row.userId}</td>
<td data-label="Moderator">${row.moderatorId}</td>
<td data-label="Reason" class="reason">${shortReason(row.reason)}</td>
<td data-label="Source">${sourceName(row.source)}</td>
<td data-label="State">${stateName(row.state)}</td>
<td data-label="Date">${utc(row.createdAt)}</td>
</tr>`;
}

export function renderCasesPage(user: LayoutUser, data: CasesPageData): Html {
  const { guild, query, rows, position } = data;
  const first = rows[0];
  const last = rows.at(-1);
  const previous =
    position.newer && first
      ? html`<a rel="prev" href="${casesHref(guild.id, query, { direction: 'newer', cursor: first.caseNumber })}">← Previous</a>`
      : html`<span></span>`;
  const next =
    position.older && last
      ? html`<a rel="next" href="${casesHref(guild.id, query, { direction: 'older', cursor: last.caseNumber })}">Next →</a>`
      : html`<span></span>`;
  const list =
    rows.length === 0
      ? html`<p class="panel muted">No cases match these filters.</p>`
      : html`<div class="panel"><table>
<thead><tr><th>Case</th><th>Action</th><th>Member</th><th>Moderator</th><th>Reason</th><th>Source</th><th>State</th><th>Date</th></tr></thead>
<tbody>${rows.map((row) => caseRowHtml(guild.id, row))}</tbody>
</table>
<nav class="pager">${previous}${next}</nav></div>`;
  const body = html`${guildNav(guild, 'cases')}
<h1>Cases</h1>
${filterForm(data)}
${list}`;
  return layout(`Cases · ${guild.name}`, user, body);
}
