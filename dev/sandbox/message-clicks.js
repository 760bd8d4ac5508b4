// Clicks on the messages in the two message panes, as Discord's client takes them: a button clicked
// or a select's options picked on a reply, a follow-up or a channel message (a case line in
// #mod-logs) is traced back to its message by the key messages.js draws, sent as the member who may
// click it (only the member who ran the command sees an ephemeral message, so only they click on it)
// through components.js, and its answer applied by interaction-flow.js — which may update the message
// in place or watch the click's token for the bot's edit. A right-click on one of the stand-in's
// messages opens its Apps menu (right-click.js).
import { buttonLabel, findComponent, onButtonClick, sendClick } from './components.js';
import { failureText, settled, toast } from './page-helpers.js';
import { findStored, isEphemeral, shownStored } from './page-state.js';

/** `state` from page-state.js; `flow` (interaction-flow.js); `rightClick` (right-click.js). */
export function createMessageClicks({ state, flow, rightClick }) {
  /** The click target `key` names (see messages.js): the message, where it is, how to change it. */
  function clickSource(key) {
    const [kind, id, followupId] = key.split(':');
    if (kind === 'stored') {
      const stored = findStored(state, id);
      if (!stored) return null;
      const basis = stored.edited_timestamp;
      return {
        message: shownStored(state, stored),
        channelId: stored.channel_id,
        token: null,
        update: (next) => state.storedUpdates.set(id, { message: next, basis }),
        watch: (token) =>
          state.storedWatches.push({ messageId: id, token, since: Date.now(), seen: '', basis }),
      };
    }
    const reply = state.replies.find((r) => r.key === id);
    if (!reply) return null;
    const followup = kind === 'followup' ? reply.followups.find((f) => f.id === followupId) : null;
    return {
      reply,
      message: followup ?? reply.message,
      channelId: reply.channelId,
      token: reply.token,
      update: (next) => {
        if (followup) Object.assign(followup, next);
        else reply.message = next;
      },
      watch: (token) => {
        reply.watch.push(token);
        reply.watchedSince = Date.now();
      },
    };
  }

  /**
   * A button clicked (or a select's options picked: `values`) on a bot's or webhook's message: sent as
   * Discord sends it, the answer applied as Discord does.
   */
  async function clickButton(source, customId, values) {
    const { message, channelId, token } = source;
    // Only the member who ran the command sees an ephemeral message, so only they can click on it.
    const clicker = source.reply && isEphemeral(source.reply) ? source.reply.invokerId : state.invokerId;
    const label = buttonLabel(message.components, customId, values);
    const click = { customId, channelId, message, token, invokerId: clicker, ...(values ? { values } : {}) };
    const result = await settled(sendClick(click));
    if (!result.ok) {
      toast(failureText(result));
      return;
    }
    flow.apply(result.body, {
      invokerId: clicker,
      channelId,
      use: label,
      verb: values ? 'picked' : 'clicked',
      source,
    });
  }

  /** Listens for clicks and right-clicks on the messages in `panes` (their contents are redrawn often). */
  function wire(panes) {
    const clicked = (key, customId, button, values) => {
      const source = clickSource(key);
      if (!source) return;
      button.disabled = true;
      button.classList.add('loading');
      clickButton(source, customId, values).finally(() => {
        button.disabled = false;
        button.classList.remove('loading');
      });
    };
    const selectOf = (key, customId) => findComponent(clickSource(key)?.message?.components, customId);
    for (const pane of panes) {
      onButtonClick(pane, clicked, selectOf);
      // Right-click a message for its Apps (the stand-in's messages: members', the bot's, webhooks').
      pane.addEventListener('contextmenu', (event) => {
        const element = event.target.closest('.message[data-id]');
        const stored = element && findStored(state, element.dataset.id);
        if (stored) rightClick.message(event, stored);
      });
    }
  }

  return { wire };
}
