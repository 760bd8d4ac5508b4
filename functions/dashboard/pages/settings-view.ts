// The settings page: the mod-log (what `/modlog status` reports, and a form choosing its channel),
// the escalation policies and the saved reasons (each listed, with an add form and a Remove button
// per row). Every form is a POST carrying the session's CSRF token; a refusal is shown in the
// section whose form was sent, with the values typed kept. Pure rendering of plain data.
import { html } from 'hono/html';
import { escalationActions, MAX_ESCALATION_POLICIES } from '../../../shared/command-definitions.ts';
import { MAX_SAVED_REASONS } from '../../../shared/commands/limits.ts';
import { permissionLabel } from '../../../shared/permissions.ts';
import { COUNTED } from '../../commands/escalation/escalation-change.ts';
import type { ModlogStatus } from '../../commands/modlog/modlog-status.ts';
import type { PolicyRow } from '../../escalation/crossing.ts';
import { policyLine } from '../../escalation/decide.ts';
import type { SavedReason } from '../../moderation/saved-reasons.ts';
import type { DashboardGuild } from '../context.ts';
import { discordText, utc } from './format.ts';
import { guildNav, type Html, type LayoutUser, layout } from './layout.ts';
import type { ModlogChannelChoice } from './settings-channels.ts';
import { type UserNames, userText } from './user-label.ts';

export type SettingsSection = 'modlog' | 'policies' | 'reasons';

/** What was typed into the form that was refused, shown again. */
export interface SettingsDraft {
  policy?: { warnings: string; within: string; action: string; duration: string };
  reason?: { name: string; text: string };
}

export interface SettingsPageData {
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>;
  modlog: ModlogStatus;
  /** Null when Discord could not list them (the rest of the page still shows). */
  channels: ModlogChannelChoice[] | null;
  policies: readonly PolicyRow[];
  /** The names known of the policies' authors. */
  names: UserNames;
  reasons: readonly SavedReason[];
  notice: string | null;
  error: { section: SettingsSection; message: string } | null;
  draft?: SettingsDraft;
}

export const settingsPath = (guildId: string) => `/dashboard/guilds/${encodeURIComponent(guildId)}/settings`;

const csrfField = (user: LayoutUser) => html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;

function refusal(data: SettingsPageData, section: SettingsSection): Html | string {
  return data.error?.section === section
    ? html`<p class="error" role="alert">${discordText(data.error.message)}</p>`
    : '';
}

function channelName(data: SettingsPageData, id: string): string {
  const known = data.channels?.find((c) => c.id === id);
  return known ? `#${known.name}` : `#${id}`;
}

function modlogStatus(data: SettingsPageData): Html {
  const { modlog } = data;
  const audit = modlog.auditLogMissingSince
    ? html`<p class="error">The audit log cannot be read since ${utc(modlog.auditLogMissingSince)}: grant Lockdown <strong>View Audit Log</strong>. Until then bans, kicks and timeouts made outside Lockdown are not recorded.</p>`
    : '';
  if (!modlog.channelId)
    return html`<p class="muted">The mod-log is off. Choose a channel below.</p>${audit}`;
  const health = modlog.brokenAt
    ? `Broken since ${utc(modlog.brokenAt)} (${modlog.brokenReason ?? 'webhook unusable'}). Set the channel again to repair it; held-back events will be posted.`
    : 'Working';
  return html`<dl class="fields">
<dt>Channel</dt><dd>${channelName(data, modlog.channelId)}</dd>
<dt>Webhook</dt><dd>${modlog.webhookOwned ? 'Made by Lockdown' : 'An existing webhook given by its URL (kept when replaced)'}</dd>
<dt>Health</dt><dd>${health}</dd>
<dt>Last delivery</dt><dd>${modlog.lastDeliveryAt ? utc(modlog.lastDeliveryAt) : 'None yet'}</dd>
<dt>Events waiting</dt><dd>${modlog.waiting}</dd>
<dt>Dead letters</dt><dd>${modlog.deadLetters}</dd>
</dl>${audit}`;
}

function channelForm(data: SettingsPageData, user: LayoutUser): Html {
  const action = `${settingsPath(data.guild.id)}/modlog`;
  if (data.channels === null)
    return html`<p class="error">Discord did not list this server’s channels just now; reload the page to choose one.</p>`;
  const options = data.channels.map((channel) => {
    const selected = channel.id === data.modlog.channelId ? html` selected` : '';
    if (channel.missing.length === 0)
      return html`<option value="${channel.id}"${selected}>#${channel.name}</option>`;
    const lacks = channel.missing.map(permissionLabel).join(', ');
    return html`<option value="${channel.id}" disabled>#${channel.name} — Lockdown lacks ${lacks} there</option>`;
  });
  return html`<form class="settings-form" method="post" action="${action}">
${csrfField(user)}
<label for="modlog-channel">Mod-log channel</label>
<select id="modlog-channel" name="channel" required>${options}</select>
<button type="submit">Set mod-log channel</button>
</form>
<p class="muted">Lockdown makes a webhook there (it needs Manage Webhooks in that channel). To use a webhook you made yourself, or to turn the mod-log off, use <code>/modlog set url</code> or <code>/modlog off</code> in Discord.</p>`;
}

function policiesSection(data: SettingsPageData, user: LayoutUser): Html {
  const base = settingsPath(data.guild.id);
  const draft = data.draft?.policy ?? { warnings: '', within: '', action: 'mute', duration: '' };
  const rows = data.policies.map(
    (policy) => html`<tr>
<td data-label="Policy">${policyLine(policy)}</td>
<td data-label="Added by">${userText(data.names, policy.createdBy)}</td>
<td data-label="Added">${utc(policy.createdAt)}</td>
<td><form method="post" action="${base}/escalation/remove">${csrfField(user)}<input type="hidden" name="policy" value="${policy.policyNumber}"><button type="submit" class="secondary">Remove</button></form></td>
</tr>`,
  );
  const list =
    data.policies.length === 0
      ? html`<p class="muted">This server has no escalation policies.</p>`
      : html`<table><thead><tr><th>Policy</th><th>Added by</th><th>Added</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  const option = (value: string) =>
    html`<option value="${value}"${draft.action === value ? html` selected` : ''}>${value}</option>`;
  return html`<section class="panel" id="policies">
<h2>Escalation policies (${data.policies.length} of ${MAX_ESCALATION_POLICIES})</h2>
${refusal(data, 'policies')}
${list}
<p class="muted">${COUNTED}</p>
<form class="filters" method="post" action="${base}/escalation">
${csrfField(user)}
<div><label for="policy-warnings">Warnings</label><input id="policy-warnings" name="warnings" inputmode="numeric" value="${draft.warnings}" placeholder="3"></div>
<div><label for="policy-within">Within</label><input id="policy-within" name="within" value="${draft.within}" placeholder="7d"></div>
<div><label for="policy-action">Action</label><select id="policy-action" name="action">${escalationActions.map(option)}</select></div>
<div><label for="policy-duration">Duration (mute, temporary ban)</label><input id="policy-duration" name="duration" value="${draft.duration}" placeholder="1h"></div>
<div><button type="submit">Add policy</button></div>
</form>
</section>`;
}

function reasonsSection(data: SettingsPageData, user: LayoutUser): Html {
  const base = settingsPath(data.guild.id);
  const draft = data.draft?.reason ?? { name: '', text: '' };
  const rows = data.reasons.map(
    (reason) => html`<tr>
<td data-label="Name"><code>${reason.name}</code></td>
<td data-label="Text" class="reason">${reason.text}</td>
<td><form method="post" action="${base}/reasons/remove">${csrfField(user)}<input type="hidden" name="name" value="${reason.name}"><button type="submit" class="secondary">Remove</button></form></td>
</tr>`,
  );
  const list =
    data.reasons.length === 0
      ? html`<p class="muted">This server has no saved reasons yet.</p>`
      : html`<table><thead><tr><th>Name</th><th>Text</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`<section class="panel" id="reasons">
<h2>Saved reasons (${data.reasons.length} of ${MAX_SAVED_REASONS})</h2>
${refusal(data, 'reasons')}
${list}
<p class="muted">A reason typed as exactly a saved name becomes its text. Saving a name that exists replaces its text.</p>
<form class="settings-form" method="post" action="${base}/reasons">
${csrfField(user)}
<label for="reason-name">Name</label>
<input id="reason-name" name="name" value="${draft.name}" placeholder="spam">
<label for="reason-text">Text</label>
<textarea id="reason-text" name="text" rows="3">${draft.text}</textarea>
<button type="submit">Save reason</button>
</form>
</section>`;
}

export function renderSettingsPage(user: LayoutUser, data: SettingsPageData): Html {
  const body = html`${guildNav(data.guild, 'settings')}
<h1>Settings</h1>
${data.notice ? html`<p class="notice" role="status">${data.notice}</p>` : ''}
<section class="panel" id="modlog">
<h2>Mod-log</h2>
${refusal(data, 'modlog')}
${modlogStatus(data)}
${channelForm(data, user)}
</section>
${policiesSection(data, user)}
${reasonsSection(data, user)}`;
  return layout(`Settings · ${data.guild.name}`, user, body);
}
