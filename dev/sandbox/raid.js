// The raid panel: simulate a raid (the stand-in's control route adds N fresh accounts that join now,
// and marks the raid as Discord's own detection would), keep the newest raid's user ids for /massban
// (the panel's second button puts them in the command box), and draw the guild's incidents_data as
// Discord's "Security actions" banner: invites and DMs paused until when, a raid or DM spam detected
// when.
import { byId as $, toast } from './page-helpers.js';
import { escapeHtml, relativeTime } from './render.js';

const SHIELD =
  '<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M11.3 1.2a1 1 0 0 1 1.4 0c2.1 1.9 4.8 3 7.6 3.1a1 1 0 0 1 1 .9c.9 8-3.2 14.3-9 16.8a1 1 0 0 1-.7 0c-5.9-2.5-10-8.8-9-16.8a1 1 0 0 1 1-.9c2.8-.1 5.5-1.2 7.6-3.1Z"/></svg>';
const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

/** Asks the stand-in for `count` accounts joining now; answers `{userIds, joinedAt}`. */
export async function simulateRaid(control, guildId, count) {
  const response = await fetch(`${control}/guilds/${guildId}/raid`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `the stand-in answered ${response.status}`);
  // Discord notices a join spike like this one by itself; the stand-in lets us say it did.
  await fetch(`${control}/guilds/${guildId}/incidents`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ raid_detected_at: body.joinedAt ?? new Date().toISOString() }),
  }).catch(() => null);
  return body;
}

/** Ids one per line, as a moderator pastes them. */
export const idList = (ids) => ids.join('\n');

/** The "Security actions" banner for `incidents` (a guild's incidents_data), or '' when nothing is on. */
export function securityBanner(incidents, now = new Date()) {
  if (!incidents) return '';
  const until = (iso) => (iso && Date.parse(iso) > now.getTime() ? new Date(iso) : null);
  const invites = until(incidents.invites_disabled_until);
  const dms = until(incidents.dms_disabled_until);
  const lines = [];
  if (invites) lines.push(`Invites paused until ${timeFormat.format(invites)}`);
  if (dms) lines.push(`DMs paused until ${timeFormat.format(dms)}`);
  const detected = [];
  if (incidents.raid_detected_at) {
    detected.push(`Raid detected ${relativeTime(new Date(incidents.raid_detected_at), now)}`);
  }
  if (incidents.dm_spam_detected_at) {
    detected.push(`DM spam detected ${relativeTime(new Date(incidents.dm_spam_detected_at), now)}`);
  }
  if (lines.length === 0 && detected.length === 0) return '';
  const title = lines.length > 0 ? 'Security actions active' : 'Activity alert';
  const items = [
    ...detected.map((t) => `<li class="alert">${escapeHtml(t)}</li>`),
    ...lines.map((t) => `<li>${escapeHtml(t)}</li>`),
  ];
  return `<div class="security-banner${lines.length ? ' active' : ''}" role="status">${SHIELD}<div><div class="security-title">${title}</div><ul>${items.join('')}</ul></div></div>`;
}

/**
 * The panel's buttons: "Simulate a raid" (300 accounts) and "Put their IDs in /massban". `state` from
 * page-state.js (its `raiders` kept here); `openCommand(name)` picks a command in the composer
 * (composer.js); `onJoined()` re-reads the guild.
 */
export function wireRaidPanel({ state, openCommand, onJoined }) {
  async function raid(count) {
    try {
      const result = await simulateRaid(state.control, state.setup.guild.guildId, count);
      state.raiders = result.userIds;
      $('copy-raiders').disabled = false;
      toast(`${state.raiders.length} accounts joined just now.`);
      await onJoined();
    } catch (error) {
      toast(`Could not simulate the raid: ${error.message}`);
    }
  }

  /** Opens /massban with the newest raid's ids: in `users` when they fit, else as the `file`. */
  function raidersToMassban() {
    const { raiders } = state;
    if (raiders.length === 0) return;
    openCommand('massban');
    const text = idList(raiders);
    const users = $('opt-users');
    if (users && text.length <= Number(users.maxLength > 0 ? users.maxLength : Number.POSITIVE_INFINITY)) {
      users.value = text;
    } else {
      $('opt-file').value = text;
      $('opt-file-name').value = 'raiders.txt';
    }
    $('opt-reason').value = 'Raid';
    toast(`${raiders.length} ids put in /massban; give a reason and send.`);
  }

  $('simulate-raid').onclick = () => raid(300);
  $('copy-raiders').onclick = raidersToMassban;
}
