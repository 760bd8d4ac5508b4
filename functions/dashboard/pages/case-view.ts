// One case on the dashboard: every field, how it ended, its evidence, the deleted marker, its edit
// history and a link to its mod-log message. Pure rendering of plain data; every value from the
// case is untrusted text and goes through the `html` template's escaping. The member links to their
// history; known names stand beside the ids.
import { html } from 'hono/html';
import { type ActionSpec, actions } from '../../../shared/actions.ts';
import { messageLink } from '../../../shared/evidence.ts';
import type { DashboardGuild } from '../context.ts';
import type { CaseDetail } from './case-data.ts';
import { actionTitle, discordText, sourceName, stateName, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';
import { memberLink, userText } from './user-label.ts';

export interface CasePageData extends CaseDetail {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
}

/** The mod-log message's address, when the case has a line and the server a mod-log channel. */
export function modlogLink(data: Pick<CasePageData, 'guild' | 'row' | 'modlogChannelId'>): string | null {
  const { row, modlogChannelId } = data;
  return row.modlogMessageId && modlogChannelId
    ? messageLink(data.guild.id, modlogChannelId, row.modlogMessageId)
    : null;
}

const field = (name: string, value: Html | string) => html`<dt>${name}</dt><dd>${value}</dd>`;
const text = (value: string | null) => (value ? discordText(value) : '—');

function stateLine(data: CasePageData): Html {
  const { row, ending } = data;
  const state = stateName(row.state);
  if (ending)
    return html`${state} — by case <a href="/dashboard/guilds/${encodeURIComponent(data.guild.id)}/cases/${ending.caseNumber}">#${ending.caseNumber}</a> by ${userText(data.names, ending.moderatorId)}${ending.source ? ` (${sourceName(ending.source)})` : ''}, ${utc(ending.at)}`;
  return html`${state}${row.endedAt ? `, ended ${utc(row.endedAt)}` : ''}`;
}

function evidenceBlock(data: CasePageData): Html {
  const evidence = data.row.evidence;
  if (!evidence) return html``;
  const link = messageLink(data.guild.id, evidence.channelId, evidence.messageId);
  const sent = new Date(evidence.sentAt);
  return html`<h2>Evidence</h2>
<div class="panel">
<p><a href="${link}">Message</a> by ${evidence.authorId} in #${evidence.channelId}, ${utc(sent)}${evidence.deleted ? ' — deleted by Lockdown' : ''}</p>
${evidence.content.trim() ? html`<blockquote>${discordText(evidence.content)}${evidence.truncated ? '…' : ''}</blockquote>` : html`<p class="muted">(no text)</p>`}
${evidence.attachments.length > 0 ? html`<p>Attachments: ${evidence.attachments.join(', ')}</p>` : ''}
</div>`;
}

function editsBlock(data: CasePageData): Html {
  if (data.edits.length === 0) return html`<h2>Edit history</h2><p class="panel muted">Never edited.</p>`;
  const rows = data.edits.map(
    (edit) => html`<tr>
<td data-label="When">${utc(edit.editedAt)}</td>
<td data-label="By">${userText(data.names, edit.editedBy)}</td>
<td data-label="Field">${edit.field}</td>
<td data-label="Was" class="reason">${text(edit.oldValue)}</td>
<td data-label="Now" class="reason">${text(edit.newValue)}</td>
<td data-label="Note" class="reason">${text(edit.note)}</td>
</tr>`,
  );
  return html`<h2>Edit history</h2>
<div class="panel"><table>
<thead><tr><th>When</th><th>By</th><th>Field</th><th>Was</th><th>Now</th><th>Note</th></tr></thead>
<tbody>${rows}</tbody>
</table>${data.moreEdits ? html`<p class="muted">Older edits are not shown.</p>` : ''}</div>`;
}

export function renderCasePage(user: LayoutUser, data: CasePageData): Html {
  const { row, guild } = data;
  const spec: ActionSpec = actions[row.action];
  const title = row.expiresAt ? (spec.temporaryTitle ?? spec.title) : actionTitle(row.action);
  const link = modlogLink(data);
  const casesHref = `/dashboard/guilds/${encodeURIComponent(guild.id)}/cases`;
  const body = html`${guildNav(guild, 'cases', `Case #${row.caseNumber}`)}
<h1>${title} · Case #${row.caseNumber}${row.deletedAt ? ' [Removed]' : ''}</h1>
${
  row.deletedAt
    ? html`<p class="error">Deleted ${utc(row.deletedAt)} by ${row.deletedBy ?? 'unknown'}${row.deleteReason ? html`: ${discordText(row.deleteReason)}` : ''}. It is left out of lists and counts.</p>`
    : ''
}
<div class="panel${row.deletedAt ? ' deleted' : ''}"><dl class="fields">
${field('Member', memberLink(guild.id, data.names, row.userId))}
${field('Moderator', userText(data.names, row.moderatorId))}
${field('Action', title)}
${html`<dt>Reason</dt><dd class="reason">${text(row.reason)}${row.reasonEditedBy && row.reasonEditedAt ? html` <span class="muted">(edited by ${row.reasonEditedBy}, ${utc(row.reasonEditedAt)})</span>` : ''}</dd>`}
${field('Source', sourceName(row.source))}
${row.automodRule ? field('AutoMod rule', row.automodRule) : ''}
${field('State', stateLine(data))}
${field('Date', utc(row.createdAt))}
${row.expiresAt ? field('Ends', utc(row.expiresAt)) : ''}
${field('Told by DM', row.dmDelivered === null ? 'No DM attempted' : row.dmDelivered ? 'Yes' : 'No: the DM could not be sent')}
${field('Mod-log', link ? html`<a href="${link}">Open the mod-log message</a>` : 'No mod-log message')}
</dl></div>
${evidenceBlock(data)}
${editsBlock(data)}
<p><a href="${casesHref}">← All cases</a></p>`;
  return layout(`Case #${row.caseNumber} · ${guild.name}`, user, body);
}
