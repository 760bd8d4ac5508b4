// The appeals queue page: pending appeals first, oldest first (a queue), then decided ones, newest
// decision first, paged. Each shows the banned user, the ban case (a link) and its reason, the
// appeal's text as typed (escaped, its line breaks kept), when it came; a decided one also who
// decided, when, how, the unban case it led to and whether the user could be told by DM. Accept and
// Deny are forms (POST with the session's anti-CSRF token), drawn only for holders of Ban Members.
// Pure rendering of plain data.
import { html } from 'hono/html';
import { hasPermission } from '../../../shared/permissions.ts';
import type { DashboardGuild } from '../context.ts';
import type { AppealListing, AppealsPage } from './appeals-data.ts';
import {
  type AppealFilter,
  type AppealsQuery,
  appealFilters,
  appealNotices,
  appealsHref,
} from './appeals-query.ts';
import { discordText, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';

export interface AppealsPageData extends AppealsPage {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
  query: AppealsQuery;
}

const filterLabels: Record<AppealFilter, string> = { pending: 'Pending', decided: 'Decided', all: 'All' };

function caseLink(guildId: string, caseNumber: number): Html {
  return html`<a href="/dashboard/guilds/${encodeURIComponent(guildId)}/cases/${caseNumber}">#${caseNumber}</a>`;
}

/** How the user heard of the decision: the DM's fate, as the mod-log line says it. */
export function dmOutcome(dmDelivered: boolean | null): string {
  if (dmDelivered === null) return 'Being recorded';
  return dmDelivered ? 'Told by DM' : 'Could not be told by DM (Discord refused the DM)';
}

function decisionForms(guildId: string, appealId: string, csrfToken: string): Html {
  const base = `/dashboard/guilds/${encodeURIComponent(guildId)}/appeals/${encodeURIComponent(appealId)}`;
  const form = (verb: 'accept' | 'deny', label: string, style: string) =>
    html`<form method="post" action="${base}/${verb}"><input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit"${style ? html` class="${style}"` : ''}>${label}</button></form>`;
  return html`<div class="decide">${form('accept', 'Accept', '')}${form('deny', 'Deny', 'danger')}</div>`;
}

function appealHtml(
  guildId: string,
  { appeal, ban, unban }: AppealListing,
  decide: { csrfToken: string } | null,
): Html {
  const banCell = ban
    ? html`${caseLink(guildId, ban.caseNumber)} <span class="muted">${ban.reason ? discordText(ban.reason) : 'No reason given'}</span>`
    : html`<span class="muted">The ban case no longer exists.</span>`;
  const decided =
    appeal.state === 'pending'
      ? ''
      : html`<dt>Decision</dt><dd><strong class="outcome-${appeal.state}">${appeal.state === 'accepted' ? 'Accepted' : 'Denied'}</strong> by ${appeal.decidedBy ?? '—'}${appeal.decidedAt ? html`, ${utc(appeal.decidedAt)}` : ''}</dd>
${appeal.state === 'accepted' ? html`<dt>Unban case</dt><dd>${unban ? caseLink(guildId, unban.caseNumber) : 'Being recorded'}</dd>` : ''}
<dt>DM to the user</dt><dd class="${appeal.dmDelivered === false ? 'dm-failed' : ''}">${dmOutcome(appeal.dmDelivered)}</dd>`;
  return html`<article class="panel appeal" id="appeal-${appeal.id}">
<dl class="fields">
<dt>Banned user</dt><dd>${appeal.userId}</dd>
<dt>Ban case</dt><dd>${banCell}</dd>
<dt>Submitted</dt><dd>${utc(appeal.createdAt)}</dd>
${decided}
</dl>
<blockquote>${appeal.text}</blockquote>
${decide && appeal.state === 'pending' ? decisionForms(guildId, appeal.id, decide.csrfToken) : ''}
</article>`;
}

function filterNav(guildId: string, current: AppealFilter): Html {
  const links = appealFilters.map(
    (filter) =>
      html`<a class="tab" href="${appealsHref(guildId, filter)}"${filter === current ? html` aria-current="page"` : ''}>${filterLabels[filter]}</a>`,
  );
  return html`<nav class="guild-nav" aria-label="Which appeals">${links}</nav>`;
}

export function renderAppealsPage(user: LayoutUser, data: AppealsPageData): Html {
  const { guild, query } = data;
  const decide = hasPermission(guild.permissions, 'BAN_MEMBERS') ? { csrfToken: user.csrfToken } : null;
  const notice = query.notice ? html`<p class="notice" role="status">${appealNotices[query.notice]}</p>` : '';
  const pendingSection =
    query.filter === 'decided' || query.before
      ? ''
      : html`<section aria-labelledby="pending"><h2 id="pending">Pending (oldest first)</h2>
${data.pending.length === 0 ? html`<p class="panel muted">No appeal is waiting for a decision.</p>` : data.pending.map((row) => appealHtml(guild.id, row, decide))}
${data.morePending ? html`<p class="muted">More appeals are waiting; decide these first to see them.</p>` : ''}
${decide ? '' : html`<p class="muted">Only moderators with the Ban Members permission decide appeals.</p>`}
</section>`;
  const last = data.decided.at(-1)?.appeal;
  const older =
    data.moreDecided && last?.decidedAt
      ? html`<nav class="pager"><span></span><a rel="next" href="${appealsHref(guild.id, query.filter, { decidedAt: last.decidedAt, id: last.id })}">More decided appeals →</a></nav>`
      : '';
  const decidedSection =
    query.filter === 'pending'
      ? ''
      : html`<section aria-labelledby="decided"><h2 id="decided">Decided (newest first)</h2>
${data.decided.length === 0 ? html`<p class="panel muted">No appeal has been decided${query.before ? ' before these' : ''}.</p>` : data.decided.map((row) => appealHtml(guild.id, row, null))}
${older}
</section>`;
  const body = html`${guildNav(guild, 'appeals')}
<h1>Appeals</h1>
${notice}
${filterNav(guild.id, query.filter)}
${pendingSection}
${decidedSection}`;
  return layout(`Appeals · ${guild.name}`, user, body);
}
