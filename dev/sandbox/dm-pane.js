// The sidebar's "Direct messages" panel: a user's DM with the bot as the stand-in keeps it (a ban
// notice with its Appeal button, say), and acting in it as that user, as Discord's client would:
// a button clicked there is sent as a DM interaction (/sandbox/api/dm-components, direct-messages.ts),
// a modal the bot answers with is opened (modal.js) and submitted as that user
// (/sandbox/api/dm-modals), and the bot's ephemeral answer shown under the DM ("Only you can see this").
// Banned users are offered first: a ban's DM is what there is to act on.
import { onButtonClick } from './components.js';
import { escapeHtml } from './render.js';

export function createDmPane({ state, draw, names, byId, getJson, postJson, openModal }) {
  let userId = null;
  /** Picked by hand: kept; otherwise the first offered (the newest ban shows up as it happens). */
  let chosen = false;
  let messages = [];
  /** The bot's last answer in the DM, only shown to this user: {text, failed}. */
  let answer = null;
  let drawn = '';

  const candidates = () => {
    const guild = state.guild;
    if (!guild) return [];
    const seen = new Set();
    const list = [];
    const add = (user, note) => {
      if (!user || seen.has(user.id) || user.id === state.setup.applicationId) return;
      seen.add(user.id);
      list.push({ id: user.id, label: `${names.userName(user.id) ?? user.username}${note}` });
    };
    for (const ban of guild.bans) add(ban.user, ' (banned)');
    for (const member of guild.members) add(member.user, '');
    for (const outsider of state.setup.outsiders ?? []) add(outsider, ' (not a member)');
    return list;
  };

  function renderPicker() {
    const select = byId('dm-user');
    const list = candidates();
    const options = list.map((u) => `<option value="${u.id}">${escapeHtml(u.label)}</option>`).join('');
    if (select.dataset.options !== options) {
      select.innerHTML = options;
      select.dataset.options = options;
    }
    if (!chosen || !list.some((u) => u.id === userId)) {
      const first = list[0]?.id ?? null;
      if (first !== userId) {
        messages = [];
        answer = null;
      }
      userId = first;
    }
    if (userId) select.value = userId;
  }

  function render() {
    const shown = messages.map((m) => draw.stored(m, 'dm-message')).join('');
    const note = answer
      ? `<div class="${answer.failed ? 'error-box' : 'dm-answer'}" id="dm-answer">${escapeHtml(answer.text)}${answer.failed ? '' : ' <span class="ephemeral-note">Only you can see this</span>'}</div>`
      : '';
    const html = (shown || '<div class="ui-hint">No messages from the bot yet.</div>') + note;
    if (html !== drawn) {
      byId('dm-messages').innerHTML = html;
      drawn = html;
    }
  }

  function show(outcome) {
    if (!outcome.ok) answer = { text: outcome.body?.message ?? `HTTP ${outcome.status}`, failed: true };
    else if (outcome.body.failed) answer = { text: 'This interaction failed', failed: true };
    else if (outcome.body.message) answer = { text: outcome.body.message.content ?? '', failed: false };
    render();
  }

  async function click(key, customId) {
    const messageId = key.startsWith('stored:') ? key.slice('stored:'.length) : null;
    if (!messageId || !userId) return;
    const asUser = userId;
    const outcome = await postJson('/sandbox/api/dm-components', { userId: asUser, messageId, customId });
    if (outcome.ok && outcome.body.modal) {
      const token = outcome.body.interaction.token;
      openModal({
        modal: outcome.body.modal,
        onSubmit: async (values) => {
          const submitted = await postJson('/sandbox/api/dm-modals', { userId: asUser, token, values });
          if (!submitted.ok || submitted.body.failed)
            return { ok: false, error: submitted.body?.message ?? 'This interaction failed' };
          show(submitted);
          return { ok: true };
        },
      });
      return;
    }
    show(outcome);
  }

  async function poll() {
    renderPicker();
    if (!userId) return render();
    const asked = userId;
    const result = await getJson(`/sandbox/api/dms?user=${encodeURIComponent(asked)}`);
    if (asked !== userId || !result.ok) return;
    messages = result.body.messages ?? [];
    render();
  }

  return {
    poll,
    wire() {
      byId('dm-user').onchange = () => {
        userId = byId('dm-user').value;
        chosen = true;
        messages = [];
        answer = null;
        poll();
      };
      onButtonClick(byId('dm-messages'), click);
    },
  };
}
