// The selected channel's pane: its history as one timeline — the stand-in's messages in it (a
// member's, a lockdown's notice) and the replies to this page's interactions there that the member at
// the keyboard may see — with its messages polled from the stand-in's control API; and, when a channel
// is picked, its name in the header and the composer as that member finds it there (disabled with
// Discord's wording when they cannot send, the slowmode note; channels.js says which).
import { composerState } from './channels.js';
import { byId as $, getJson, keepAtBottom } from './page-helpers.js';
import { isEphemeral, selectedChannelId, shownStored, visibleTo } from './page-state.js';
import { escapeHtml } from './render.js';

const EMPTY = `<div class="empty">Pick a command below and send it. Start with <b>/modlog set</b> (channel #mod-logs), then try <b>/ban</b> on Tom with a duration of <b>1m</b> and watch #mod-logs. “Run commands as” changes who types; Hugo is a helper without ban rights, Maya cannot act on Sol (a higher role), and nobody can act on Ava, the owner. For the raid tools, pick #chat and run <b>/lockdown channel</b>, or simulate a raid and <b>/massban</b> it.</div>`;

/** `state` from page-state.js; `draw` from messages.js. */
export function createChannelPane({ state, draw }) {
  let signature = '';

  function render() {
    const here = selectedChannelId(state);
    // The channel's own messages and this page's replies, in time order, as one history.
    const stored = state.channelMessages.channelId === here ? state.channelMessages.messages : [];
    const html = [
      ...stored.map((m) => ({
        at: Date.parse(m.timestamp),
        html: draw.stored(shownStored(state, m), 'channel-message'),
      })),
      ...state.replies
        .filter((reply) => reply.channelId === here && visibleTo(reply, state.invokerId))
        .map((reply) => ({ at: reply.sentAt.getTime(), html: draw.reply(reply, isEphemeral(reply)) })),
    ]
      .sort((a, b) => a.at - b.at)
      .map((item) => item.html)
      .join('');
    keepAtBottom($('general-scroll'), () => {
      $('general').innerHTML = html || EMPTY;
    });
  }

  /** Reads the selected channel's messages (#mod-logs has its own pane); redraws on a change. */
  async function poll() {
    const here = state.channels?.selectedId();
    if (!here || here === state.setup.guild.channels.modLogs) return;
    const result = await getJson(`${state.control}/channels/${here}/messages`).catch(() => null);
    if (!result?.ok) return;
    const next = JSON.stringify([here, result.body.map((m) => [m.id, m.edited_timestamp])]);
    if (next === signature) return;
    signature = next;
    state.channelMessages = { channelId: here, messages: result.body };
    render();
  }

  /** The composer as the member at the keyboard finds it in the selected channel. */
  function show(view) {
    const composer = composerState(view);
    $('channel-name').textContent = view?.name ?? 'general';
    $('say').placeholder = `Message #${view?.name ?? 'general'} (Enter sends)`;
    $('composer-fields').disabled = composer.disabled;
    $('send').disabled = composer.disabled;
    $('composer-locked').hidden = !composer.disabled;
    $('composer-locked-text').textContent = composer.notice;
    $('slowmode-note').hidden = !composer.slowmode;
    $('slowmode-note').innerHTML = composer.slowmode
      ? `${composer.timer}<span>${escapeHtml(composer.slowmode)}</span>`
      : '';
    $('composer').dataset.channel = view?.id ?? '';
    $('composer').classList.toggle('locked', composer.disabled);
    poll();
    render();
  }

  return { render, poll, show };
}
