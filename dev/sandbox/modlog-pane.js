// The #mod-logs pane: what the relay posts through the mod-log webhook and the replies to buttons
// clicked there, as one timeline (a case line as a button's answer left it, until the relay edits it
// again), polled from the stand-in's control API; its badge in the channel list (the embeds posted);
// the banner offering /modlog set while #mod-logs has no webhook; and the flash when #mod-logs is
// picked in the channel list (it always shows, so picking it only draws the eye to it).
import { byId as $, getJson, keepAtBottom } from './page-helpers.js';
import { isEphemeral, shownStored, visibleTo } from './page-state.js';

/** `state` from page-state.js; `draw` from messages.js; `runCommand(request)` sends a slash command. */
export function createModlogPane({ state, draw, runCommand }) {
  let signature = '';
  const modLogsId = () => state.setup.guild.channels.modLogs;

  /** The mod-log webhook in #mod-logs, once /modlog set made it. */
  const webhook = () => state.guild?.webhooks.find((w) => w.channel_id === modLogsId()) ?? null;

  function render() {
    // The relay's posts and the replies to buttons clicked in #mod-logs, in time order, as one history.
    const html = [
      ...state.modlogMessages.map((m) => ({
        at: Date.parse(m.timestamp),
        html: draw.stored(shownStored(state, m), 'modlog-message'),
      })),
      ...state.replies
        .filter((r) => r.channelId === modLogsId() && visibleTo(r, state.invokerId))
        .map((r) => ({ at: r.sentAt.getTime(), html: draw.reply(r, isEphemeral(r)) })),
    ]
      .sort((a, b) => a.at - b.at)
      .map((item) => item.html)
      .join('');
    keepAtBottom($('modlog-scroll'), () => {
      $('modlog').innerHTML =
        html ||
        '<div class="empty">Nothing posted yet. Moderation actions appear here once the mod-log is set.</div>';
    });
    const count = state.modlogMessages.reduce((n, m) => n + (m.embeds?.length ?? 0), 0);
    state.channels?.setBadge(modLogsId(), count);
  }

  function renderBanner() {
    const banner = $('modlog-banner');
    if (!state.guild || webhook()) {
      banner.innerHTML = '';
      return;
    }
    banner.innerHTML = `<div class="banner"><span>No mod-log webhook in #mod-logs yet: embeds have nowhere to go.</span><button id="setup-modlog" type="button">Run /modlog set channel:#mod-logs</button></div>`;
    $('setup-modlog').onclick = () =>
      runCommand({ name: 'modlog', subcommand: 'set', options: { channel: modLogsId() } });
  }

  /** Reads #mod-logs; redraws when a message came, went, or changed (edited, embeds, components). */
  async function poll() {
    const result = await getJson(`${state.control}/channels/${modLogsId()}/messages`).catch(() => null);
    if (!result?.ok) return;
    const next = JSON.stringify(
      result.body.map((m) => [m.id, m.edited_timestamp, m.embeds?.length, m.components?.length]),
    );
    if (next !== signature) {
      signature = next;
      state.modlogMessages = result.body;
      render();
    }
  }

  /** #mod-logs picked in the channel list: scrolled to its newest post, and flashed. */
  function reveal() {
    const scroller = $('modlog-scroll');
    scroller.scrollTop = scroller.scrollHeight;
    $('modlog-pane').classList.add('flash');
    setTimeout(() => $('modlog-pane').classList.remove('flash'), 800);
  }

  return { render, renderBanner, poll, reveal, webhook };
}
