// The sidebar's channel list and the selected channel, as the member at the keyboard sees them
// (/sandbox/api/channels?as=… computes it from the channels' permission overwrites): channels they
// cannot see are left out, private ones carry Discord's hash-with-lock, a padlock marks a channel where
// @everyone may not send messages (a lockdown), a timer one with slowmode. It also says what the
// composer shows: disabled with Discord's wording when they cannot send, "Slowmode is enabled" below.
import { escapeHtml } from './render.js';

const TEXT = 0;
const VOICE = 2;
const ANNOUNCEMENT = 5;
const svg = (d, label = '') =>
  `<svg width="18" height="18" viewBox="0 0 24 24"${label ? ` role="img" aria-label="${label}"` : ' aria-hidden="true"'}><path fill="currentColor" d="${d}"/></svg>`;
const ICONS = {
  hash: svg(
    'M10.99 3.16A1 1 0 1 0 9 2.84L8.15 8H4a1 1 0 0 0 0 2h3.82l-.67 4H3a1 1 0 1 0 0 2h3.82l-.8 4.84a1 1 0 0 0 1.97.32L8.85 16h4.97l-.8 4.84a1 1 0 0 0 1.97.32l.86-5.16H20a1 1 0 1 0 0-2h-3.82l.67-4H21a1 1 0 1 0 0-2h-3.82l.8-4.84a1 1 0 1 0-1.97-.32L15.15 8h-4.97l.8-4.84ZM14.15 14l.67-4H9.85l-.67 4h4.97Z',
  ),
  privateHash: svg(
    'M16 4h.5v-.5a2.5 2.5 0 0 1 5 0v.5h.5a1 1 0 0 1 1 1v4a1 1 0 0 1-1 1h-6a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Zm4-.5V4h-2v-.5a1 1 0 1 1 2 0ZM10.99 3.16A1 1 0 1 0 9 2.84L8.15 8H4a1 1 0 0 0 0 2h3.82l-.67 4H3a1 1 0 1 0 0 2h3.82l-.8 4.84a1 1 0 0 0 1.97.32L8.85 16h4.97l-.8 4.84a1 1 0 0 0 1.97.32l.86-5.16H20a1 1 0 1 0 0-2h-3.82l.33-2H14.5l-.35 2H9.18l.67-4H13V8h-2.82l.8-4.84Z',
    'private channel',
  ),
  voice: svg(
    'M12 3a1 1 0 0 0-1-1h-.06a1 1 0 0 0-.74.32L5.92 7H3a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h2.92l4.28 4.68a1 1 0 0 0 .74.32H11a1 1 0 0 0 1-1V3ZM15.1 20.75c-.58.14-1.1-.33-1.1-.92v-.03c0-.5.37-.92.85-1.05a7 7 0 0 0 0-13.5A1.11 1.11 0 0 1 14 4.2v-.03c0-.6.52-1.06 1.1-.92a9 9 0 0 1 0 17.5Z',
  ),
  announcement: svg(
    'M19.56 2a3 3 0 0 0-2.46 1.28 3.85 3.85 0 0 1-1.86 1.42l-8.9 3.18a.5.5 0 0 0-.34.47v10.09a3 3 0 0 0 2.27 2.9l.62.16c1.57.4 3.15-.56 3.55-2.12l.56-2.19 2.24.8a3.85 3.85 0 0 1 1.86 1.42 3 3 0 0 0 5.45-1.74V4.57A2.57 2.57 0 0 0 19.56 2ZM4 8.5a1 1 0 0 0-2 0v7a1 1 0 1 0 2 0v-7Z',
  ),
  padlock: svg(
    'M6 9h1V6a5 5 0 0 1 10 0v3h1a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3H6a3 3 0 0 1-3-3v-8a3 3 0 0 1 3-3Zm9-3v3H9V6a3 3 0 1 1 6 0Zm-1 8a2 2 0 0 1-1 1.73V18a1 1 0 1 1-2 0v-2.27A2 2 0 1 1 14 14Z',
    'locked: @everyone cannot send messages',
  ),
  timer: svg(
    'M9 1a1 1 0 0 0 0 2h6a1 1 0 1 0 0-2H9Zm3 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm1 4a1 1 0 1 0-2 0v5a1 1 0 0 0 .3.7l3 3a1 1 0 0 0 1.4-1.4L13 12.58V8Z',
    'slowmode',
  ),
};

/** Discord's way of naming a slowmode: "5s", "1m", "2h". */
export function slowmodeLabel(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function iconOf(view) {
  if (view.type === VOICE) return ICONS.voice;
  if (view.type === ANNOUNCEMENT) return ICONS.announcement;
  return view.private ? ICONS.privateHash : ICONS.hash;
}

/**
 * The channel list. `onSelect(view)` runs when the selected channel changes or its view does;
 * `onModlog()` when #mod-logs (shown in its own pane) is clicked.
 */
export function createChannels({ list, modLogsId, initialId, onSelect, onModlog }) {
  let views = [];
  let selectedId = initialId;
  let signature = '';
  const badges = new Map();

  function render() {
    const text = views.filter((v) => v.canView && v.type !== VOICE);
    const voice = views.filter((v) => v.canView && v.type === VOICE);
    const item = (v) => {
      const badge = badges.get(v.id);
      const marks = [
        v.slowmode > 0
          ? `<span class="channel-mark slowmode" title="Slowmode: ${slowmodeLabel(v.slowmode)}">${ICONS.timer}</span>`
          : '',
        v.locked && v.type !== VOICE
          ? `<span class="channel-mark padlock" title="@everyone cannot send messages here">${ICONS.padlock}</span>`
          : '',
        badge ? `<span class="badge">${badge}</span>` : '',
      ].join('');
      const active = v.id === selectedId ? ' active' : '';
      return `<div class="channel${active}" role="button" tabindex="0" data-channel="${v.id}" data-locked="${v.locked}" data-slowmode="${v.slowmode}"><span class="channel-icon">${iconOf(v)}</span><span class="channel-name">${escapeHtml(v.name)}</span>${marks}</div>`;
    };
    list.innerHTML = `<div class="section-title">Text channels</div>${text.map(item).join('')}${
      voice.length ? `<div class="section-title">Voice channels</div>${voice.map(item).join('')}` : ''
    }`;
    for (const el of list.querySelectorAll('.channel')) {
      el.onclick = () => select(el.dataset.channel);
    }
  }

  function select(id) {
    const view = views.find((v) => v.id === id);
    if (!view) return;
    if (id === modLogsId) {
      onModlog();
      return;
    }
    if (view.type === VOICE) return;
    selectedId = id;
    render();
    onSelect(view);
  }

  return {
    /** Re-reads the channels as `viewerId` sees them; re-renders (and tells onSelect) on a change. */
    async refresh(viewerId) {
      const response = await fetch(`/sandbox/api/channels?as=${encodeURIComponent(viewerId)}`);
      if (!response.ok) return;
      const next = await response.json();
      const nextSignature = JSON.stringify([viewerId, next]);
      if (nextSignature === signature) return;
      signature = nextSignature;
      views = next;
      if (!views.some((v) => v.id === selectedId && v.canView)) {
        selectedId = views.find((v) => v.canView && v.type === TEXT && v.id !== modLogsId)?.id ?? selectedId;
      }
      render();
      onSelect(this.selected());
    },
    selected: () => views.find((v) => v.id === selectedId) ?? null,
    /** Whether the member at the keyboard sees the channel (true until the views are read). */
    canView: (id) => views.length === 0 || views.some((v) => v.id === id && v.canView),
    selectedId: () => selectedId,
    select,
    setBadge(channelId, count) {
      if ((badges.get(channelId) ?? 0) === count) return;
      badges.set(channelId, count);
      render();
    },
  };
}

/** What the composer shows in `view` for the member at the keyboard. */
export function composerState(view) {
  if (!view) return { disabled: false, notice: '', slowmode: '' };
  const slowmode =
    view.slowmode > 0
      ? view.slowmodeApplies
        ? `Slowmode is enabled (${slowmodeLabel(view.slowmode)}).`
        : `Slowmode is enabled (${slowmodeLabel(view.slowmode)}), but you are immune.`
      : '';
  return {
    disabled: !view.canSend,
    notice: view.canSend ? '' : 'You do not have permission to send messages in this channel.',
    slowmode,
    timer: ICONS.timer,
  };
}
