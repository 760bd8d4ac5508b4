// The "Act in Discord's own UI" panel: a moderator bans, kicks, times out, removes a timeout or unbans
// in Discord itself, not through Lockdown, or AutoMod times a member out or blocks or flags their
// message. Each goes to the stand-in's control route (POST /__sandbox/guilds/{id}/audit-log), which
// changes the guild and writes the audit-log entry Discord writes, refusing what Discord's client
// refuses (a moderator without the permission, or who does not outrank the member). Lockdown learns of
// it from the audit log: "Sync the audit log now" (the sandbox server's /sandbox/api/audit-sync) makes
// the guild due and runs the cron, and the case shows in #mod-logs with its Source. Lockdown's first
// sync of a guild only starts "from now", so before the first action the panel has it run once.
// `context()` gives {guild, applicationId, raiders (a Set), shownName, control}.
import { escapeHtml } from './render.js';

const ACTIONS = [
  { value: 'ban', label: 'Ban', moderator: true, targets: 'members', verb: 'banned' },
  { value: 'kick', label: 'Kick', moderator: true, targets: 'members', verb: 'kicked' },
  {
    value: 'timeout',
    label: 'Time out',
    moderator: true,
    targets: 'members',
    duration: true,
    verb: 'timed out',
  },
  {
    value: 'untimeout',
    label: 'Remove timeout',
    moderator: true,
    targets: 'timedOut',
    verb: 'removed the timeout of',
  },
  { value: 'unban', label: 'Unban', moderator: true, targets: 'banned', verb: 'unbanned' },
  {
    value: 'automod_timeout',
    label: 'AutoMod times out',
    targets: 'members',
    duration: true,
    verb: 'timed out',
  },
  {
    value: 'automod_block',
    label: 'AutoMod blocks a message',
    targets: 'members',
    verb: 'blocked a message of',
  },
  {
    value: 'automod_flag',
    label: 'AutoMod flags a message',
    targets: 'members',
    verb: 'flagged a message of',
  },
];
/** The choices of Discord's "Time out" dialog. */
const DURATIONS = [
  [60_000, '60 seconds'],
  [300_000, '5 minutes'],
  [600_000, '10 minutes'],
  [3_600_000, '1 hour'],
  [86_400_000, '1 day'],
  [604_800_000, '1 week'],
];
const timeFormat = new Intl.DateTimeFormat('en-US', {
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});

const postJson = async (url, body) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
};

const option = (value, label, selected) =>
  `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;

/** The panel's elements: its ids in index.html start with `ui-`. */
const elementsOf = (byId) => ({
  action: byId('ui-action'),
  actor: byId('ui-actor'),
  actorField: byId('ui-actor-field'),
  target: byId('ui-target'),
  duration: byId('ui-duration'),
  durationField: byId('ui-duration-field'),
  reason: byId('ui-reason'),
  reasonField: byId('ui-reason-field'),
  rule: byId('ui-rule'),
  ruleField: byId('ui-rule-field'),
  act: byId('ui-act'),
  sync: byId('ui-sync'),
  state: byId('ui-sync-state'),
});

/** The panel, found with `byId`; `onActed()` re-reads the guild; `toast(text)` tells the user. */
export function createDiscordUi({ byId, context, onActed, toast }) {
  const el = elementsOf(byId);
  /** Whether this page has seen the guild's first sync (so an action now becomes a case). */
  let started = false;
  const chosen = () => ACTIONS.find((a) => a.value === el.action.value) ?? ACTIONS[0];

  el.action.innerHTML = ACTIONS.map((a) => option(a.value, a.label, a.value === 'ban')).join('');
  el.duration.innerHTML = DURATIONS.map(([ms, label]) => option(String(ms), label, ms === 600_000)).join('');

  function targets(kind) {
    const { guild, applicationId, raiders, shownName } = context();
    if (kind === 'banned') return guild.bans.map((b) => [b.user.id, shownName(b.user)]);
    const now = Date.now();
    return (
      guild.members
        // Discord's member menu offers nothing against the owner.
        .filter((m) => m.user && m.user.id !== applicationId && m.user.id !== guild.ownerId)
        .filter((m) => !raiders.has(m.user.id))
        .filter(
          (m) =>
            kind !== 'timedOut' ||
            (m.communication_disabled_until && Date.parse(m.communication_disabled_until) > now),
        )
        .map((m) => [m.user.id, shownName(m.user, m)])
    );
  }

  /** Redraws the choices from the guild, keeping what is picked where it still applies. */
  function render() {
    const { guild, applicationId, raiders, shownName } = context();
    if (!guild) return;
    const action = chosen();
    const actor = el.actor.value;
    el.actor.innerHTML = guild.members
      .filter((m) => m.user && m.user.id !== applicationId && !raiders.has(m.user.id))
      .map((m) => option(m.user.id, shownName(m.user, m), m.user.id === actor))
      .join('');
    const target = el.target.value;
    const list = targets(action.targets);
    el.target.innerHTML = list.length
      ? list.map(([id, name]) => option(id, name, id === target)).join('')
      : option('', action.targets === 'banned' ? 'nobody is banned' : 'nobody is timed out', true);
    el.actorField.hidden = !action.moderator;
    el.reasonField.hidden = !action.moderator;
    el.durationField.hidden = !action.duration;
    el.ruleField.hidden = action.moderator === true;
    el.act.textContent = action.moderator ? `${action.label} in Discord` : `${action.label}`;
  }

  /**
   * Right-click on a member: pick them (a banned user: for an unban), for `action` when the member
   * menu's Time out / Kick / Ban / Unban was chosen.
   */
  function pickTarget(userId, action) {
    const { guild } = context();
    if (action && ACTIONS.some((a) => a.value === action)) el.action.value = action;
    else if (guild.bans.some((b) => b.user.id === userId) && chosen().targets !== 'banned')
      el.action.value = 'unban';
    else if (chosen().targets === 'banned') el.action.value = 'ban';
    render();
    el.target.value = userId;
    el.target.focus();
  }

  function describeSync(result) {
    const state = result.state;
    if (!result.available) return 'Lockdown reads the audit log when the guild is due (every 1–15 minutes).';
    if (!state?.known) return 'Lockdown does not know this server yet: set the mod-log first.';
    if (state.lastError && !result.synced) return `The last sync failed: ${state.lastError}`;
    const next = state.nextSyncAt
      ? ` Next sync due at ${timeFormat.format(new Date(state.nextSyncAt))}.`
      : '';
    return `${result.synced ? 'Synced just now.' : 'Not synced yet.'}${next}`;
  }

  async function syncNow() {
    const result = await postJson('/sandbox/api/audit-sync', {});
    if (!result.ok) throw new Error(result.body?.message ?? `the sandbox answered ${result.status}`);
    if (result.body.state?.started) started = true;
    el.state.textContent = describeSync(result.body);
    return result.body;
  }

  /** Lockdown's first sync of a guild only sets where it starts reading: run it before acting. */
  async function ensureStarted() {
    if (started) return;
    const response = await fetch('/sandbox/api/audit-sync');
    const state = await response.json().catch(() => ({}));
    if (state.started) started = true;
    else if (state.available && state.known) {
      await syncNow();
      toast('Lockdown read the audit log once first: its first sync starts from now.');
    }
  }

  async function act() {
    const action = chosen();
    const { control, guild, shownName } = context();
    const body = { action: action.value, targetId: el.target.value };
    if (!body.targetId) {
      toast('Pick a member first.');
      return;
    }
    if (action.moderator) body.actorId = el.actor.value;
    if (action.moderator && el.reason.value.trim()) body.reason = el.reason.value.trim();
    if (action.duration) body.durationMs = Number(el.duration.value);
    if (!action.moderator && el.rule.value.trim()) body.ruleName = el.rule.value.trim();
    await ensureStarted().catch((error) => toast(`Could not sync the audit log first: ${error.message}`));
    const result = await postJson(`${control}/guilds/${guild.id}/audit-log`, body);
    if (!result.ok) {
      // What Discord's client would refuse, in the stand-in's words.
      toast(`Discord refused: ${result.body?.message ?? `HTTP ${result.status}`}`);
      return;
    }
    const name = (id) => {
      const member = guild.members.find((m) => m.user?.id === id);
      const ban = guild.bans.find((b) => b.user.id === id);
      return shownName(member?.user ?? ban?.user, member) ?? id;
    };
    const who = action.moderator ? name(body.actorId) : 'AutoMod';
    el.reason.value = '';
    toast(`${who} ${action.verb} ${name(body.targetId)} in Discord. Sync the audit log to see the case.`);
    await onActed();
  }

  el.action.onchange = render;
  el.act.onclick = async () => {
    el.act.disabled = true;
    try {
      await act();
    } catch (error) {
      toast(`Could not act in Discord: ${error.message}`);
    } finally {
      el.act.disabled = false;
    }
  };
  el.sync.onclick = async () => {
    el.sync.disabled = true;
    el.state.textContent = 'Syncing…';
    try {
      const result = await syncNow();
      toast(
        result.synced
          ? 'Lockdown read the audit log: new entries are cases in #mod-logs.'
          : describeSync(result),
      );
    } catch (error) {
      el.state.textContent = '';
      toast(`Could not sync the audit log: ${error.message}`);
    } finally {
      el.sync.disabled = false;
    }
  };

  return { render, pickTarget };
}
