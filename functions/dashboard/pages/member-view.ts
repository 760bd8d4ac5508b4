// A member's history in one server: their counts per kind of case and the punishments in force
// with their ends (what /history says, history-summary.ts), then all their cases newest first,
// paged like the cases page. Pure rendering of plain data.
import { html } from 'hono/html';
import { type ActionSpec, actions, caseActions } from '../../../shared/actions.ts';
import type { MemberHistory } from '../../commands/cases/history-summary.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import type { DashboardGuild } from '../context.ts';
import { memberPageHref } from './cases-query.ts';
import { casesTable, type PagePosition } from './cases-view.ts';
import { actionTitle, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';
import { displayName, type UserNames, userText } from './user-label.ts';

export interface MemberPageData extends Pick<MemberHistory, 'counts' | 'inForce'> {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
  userId: string;
  rows: readonly CaseRow[];
  position: PagePosition;
  names: UserNames;
}

function countsBlock(data: MemberPageData): Html {
  const byAction = new Map(data.counts.map((c) => [c.action, c.count]));
  const total = data.counts.reduce((sum, c) => sum + c.count, 0);
  const items = caseActions
    .filter((a) => (byAction.get(a) ?? 0) > 0)
    .map((a) => html`<dt>${actionTitle(a)}</dt><dd>${byAction.get(a)}</dd>`);
  return html`<h2>${total === 1 ? '1 case' : `${total} cases`}</h2>
${total > 0 ? html`<div class="panel"><dl class="fields counts">${items}</dl></div>` : ''}`;
}

function inForceLine(guildId: string, names: UserNames, row: CaseRow): Html {
  const spec: ActionSpec = actions[row.action];
  const title = (row.expiresAt && spec.temporaryTitle) || spec.title;
  return html`<li>${title} — ${row.expiresAt ? `ends ${utc(row.expiresAt)}` : 'permanent'} (<a href="/dashboard/guilds/${encodeURIComponent(guildId)}/cases/${row.caseNumber}">case #${row.caseNumber}</a>, by ${userText(names, row.moderatorId)})</li>`;
}

export function renderMemberPage(user: LayoutUser, data: MemberPageData): Html {
  const { guild, userId, names } = data;
  const name = displayName(names.get(userId));
  const inForce =
    data.inForce.length === 0
      ? html`<p class="panel muted">Nothing in force.</p>`
      : html`<ul class="panel in-force">${data.inForce.map((row) => inForceLine(guild.id, names, row))}</ul>`;
  const body = html`${guildNav(guild, 'cases', name ?? userId)}
<h1>${name ? html`${name} <span class="muted">${userId}</span>` : userId}</h1>
${countsBlock(data)}
<h2>In force</h2>
${inForce}
<h2>Cases</h2>
${casesTable(
  guild.id,
  data.rows,
  names,
  data.position,
  (page) => memberPageHref(guild.id, userId, page),
  'No cases for this member in this server.',
)}`;
  return layout(`${name ?? userId} · ${guild.name}`, user, body);
}
