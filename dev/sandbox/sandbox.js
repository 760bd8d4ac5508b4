// The sandbox page: a fake Discord server to drive Lockdown by hand. The command box is built from the
// bot's own command definitions (shared/command-definitions.ts, served by /sandbox/api/setup); a
// command is sent to /sandbox/api/commands, which builds the interaction as Discord does, signs it and
// POSTs it to the Worker, "in" the channel selected in the sidebar; so are right-click Apps entries,
// modal submits, autocomplete and component clicks (each through its own /sandbox/api route). A
// plain message typed in the composer is posted as the member (the stand-in's control route), so
// there is something to right-click or purge. Everything else is read from the Discord stand-in's
// control API (/__sandbox) on this origin, by polling: the guild (members, roles, bans, webhooks,
// incidents), #mod-logs, the selected channel, deferred replies and edits, the request log.
// Modules that own a job of their own: render.js (markdown, embeds, times), messages.js (messages
// and replies drawn), members.js (the member list and the "run commands as" choices), command-box.js
// (the form built from a command's options, read back as the request), autocomplete.js (the bot's
// suggestions while an option is typed), components.js (buttons and selects drawn, their clicks
// sent), interaction-flow.js (every answer taken as Discord's client takes it, modals included),
// modal.js (Discord's modal), context-menu.js and right-click.js (the right-click menus and their
// Apps entries), channels.js (the channel list, padlocks, slowmode, whether the composer is usable),
// raid.js (a simulated raid, the security-actions banner), discord-ui.js (actions taken in Discord's
// own UI and AutoMod's, and syncing the audit log that turns them into cases), sidebar-tools.js
// (faults, cron, status, the API log).
// Over 350 lines on purpose: this is the page's one controller, plain browser JavaScript with no build
// step; what is left here (the channel's replies and clicks, #mod-logs, members) reads and re-renders
// the same few pieces of page state (setup, guild, the invoker, the replies), so split further those
// modules would share mutable state through imports rather than each own a job.
// Sections below mark the panels.
import { createAutocomplete } from './autocomplete.js';
import { composerState, createChannels } from './channels.js';
import { createCommandBox } from './command-box.js';
import { buttonLabel, findComponent, onButtonClick, sendClick } from './components.js';
import { createContextMenu } from './context-menu.js';
import { createDiscordUi } from './discord-ui.js';
import { createInteractionFlow } from './interaction-flow.js';
import { invokerOptions, memberList } from './members.js';
import { createMessageDrawing } from './messages.js';
import { openModal } from './modal.js';
import { idList, securityBanner, simulateRaid } from './raid.js';
import { escapeHtml, refreshTimes } from './render.js';
import { createRightClick } from './right-click.js';
import { createSidebarTools } from './sidebar-tools.js';

const $ = (id) => document.getElementById(id);
/** Interaction tokens live 15 minutes: replies are watched for edits that long. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const EPHEMERAL = 1 << 6;

let setup = null;
let control = '/__sandbox';
let guild = null;
let invokerId = null;
/**
 * Bot messages made by this page's interactions, oldest first: what was typed or clicked, where,
 * the message as it stands (`message`), and the tokens whose @original edits it (`watch`).
 */
const replies = [];
/**
 * Channel messages (#mod-logs, a lockdown's notice) as updated in place by a button (type 7, or the
 * click's @original edited), by id: `{message, basis}`, kept while the stand-in's copy is still the
 * one it was based on (`basis`: its edited_timestamp); a later edit there (the relay editing a case
 * line) wins.
 */
const storedUpdates = new Map();
/** Clicks on channel messages whose @original (the clicked message) the bot may still edit. */
const storedWatches = [];
let modlogMessages = [];
/** The selected channel's messages as the stand-in has them (a lockdown's notice, say). */
let channelMessages = { channelId: null, messages: [] };
let modlogSignature = '';
/** The user ids of the newest simulated raid. */
let raiders = [];
let channels = null;
/** The "Act in Discord's own UI" panel (discord-ui.js). */
let discordUi = null;
/** The form built from the command definitions (command-box.js). */
const commandBox = createCommandBox({
  elements: {
    command: $('command'),
    subcommand: $('subcommand'),
    options: $('options'),
    description: $('command-description'),
  },
  context: () => ({
    commands: setup.commands,
    guild,
    outsiders: setup.outsiders ?? [],
    applicationId: setup.applicationId,
    names,
    shownName,
    canView: (channelId) => channels?.canView(channelId) ?? true,
  }),
});

// ---- names, as Discord shows them ----

const memberOf = (id) => guild?.members.find((m) => m.user?.id === id) ?? null;
const shownName = (user, member) => member?.nick || user?.global_name || user?.username || null;
/** Every user this page has seen (members, bans): Discord still names a user after they are unbanned. */
const seenUsers = new Map();
const names = {
  userName(id) {
    if (setup && id === setup.applicationId) return 'Lockdown';
    const member = memberOf(id);
    if (member) return shownName(member.user, member);
    const ban = guild?.bans.find((b) => b.user.id === id);
    if (ban) return shownName(ban.user);
    const outsider = setup?.outsiders.find((u) => u.id === id);
    if (outsider) return shownName(outsider);
    return seenUsers.has(id) ? shownName(seenUsers.get(id)) : null;
  },
  roleName: (id) => guild?.roles.find((r) => r.id === id)?.name ?? null,
  channelName: (id) => guild?.channels.find((c) => c.id === id)?.name ?? null,
};
/** Messages drawn as Discord draws them (messages.js). */
const draw = createMessageDrawing({ names, applicationId: () => setup.applicationId });
/** The right-click menus (context-menu.js, right-click.js). */
const menu = createContextMenu();
const rightClick = createRightClick({
  menu,
  invokerId: () => invokerId,
  channelId: () => channels?.selectedId() ?? setup.guild.channels.general,
  names,
  isOwner: (id) => guild?.ownerId === id,
  applicationId: () => setup.applicationId,
  getJson: (url) => getJson(url),
  runApp: (name, target) => runApp(name, target),
  pickInDiscordUi: (userId, action) => {
    discordUi?.pickTarget(userId, action);
    toast(`Picked ${names.userName(userId)} in “Act in Discord’s own UI”.`);
  },
});

// ---- small helpers ----

async function getJson(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { ok: response.ok, status: response.status, body };
}
const postJson = (url, body) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

let toastTimer;
function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 3500);
}

function keepAtBottom(scroller, update) {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
  update();
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

const modlogWebhook = () =>
  guild?.webhooks.find((w) => w.channel_id === setup.guild.channels.modLogs) ?? null;

// ---- the command box (built by command-box.js), and the replies it gets ----

const setHint = (text, error = false) => {
  const hint = $('composer-hint');
  hint.textContent = text;
  hint.style.color = error ? 'var(--red)' : '';
};
const renderOptions = () => {
  commandBox.render();
  setHint('Signed with the local key and sent to the Worker, as Discord does.');
};
const readForm = () => commandBox.read();
const describeUse = (request) => commandBox.describe(request);
const refreshUserPickers = () => commandBox.refreshUserPickers();

function newReply(fields) {
  const reply = {
    key: crypto.randomUUID(),
    sentAt: new Date(),
    state: 'sending',
    token: null,
    answer: null,
    message: null,
    watch: [],
    seen: {},
    followups: [],
    error: null,
    ...fields,
  };
  replies.push(reply);
  return reply;
}

/** Takes in the Worker's answer to a command or a click that makes a message (type 4 or 5). */
function answered(reply, outcome) {
  const { interaction, status, body } = outcome;
  reply.token = interaction.token;
  reply.status = status;
  reply.answer = body;
  reply.watch.push(interaction.token);
  if (status !== 200) {
    reply.state = 'failed';
    reply.error = `The Worker answered HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
  } else if (body?.type === 5) reply.state = 'deferred';
  else {
    reply.state = 'answered';
    reply.message = outcome.message ?? body?.data ?? null;
  }
}

/** The replies as interaction-flow.js changes them. */
const replyStore = {
  add: newReply,
  answered,
  remove(reply) {
    const at = replies.indexOf(reply);
    if (at >= 0) replies.splice(at, 1);
  },
};
/** Every answer of the bot's, taken as Discord's client takes it (interaction-flow.js). */
const flow = createInteractionFlow({
  replies: replyStore,
  render: () => {
    renderGeneral();
    renderModlog();
  },
  toast,
  openModal: (options) => openModal({ ...options, appName: 'Lockdown' }),
  postJson,
});

/** Sends a command as the current invoker, in the selected channel; the reply shows up there. */
async function runCommand(request) {
  const channelId = channels?.selectedId() ?? setup.guild.channels.general;
  const reply = newReply({ invokerId, channelId, use: describeUse(request), verb: 'used' });
  renderGeneral();
  const result = await postJson('/sandbox/api/commands', { ...request, invokerId, channelId }).catch(
    (error) => ({
      ok: false,
      status: 0,
      body: { message: String(error) },
    }),
  );
  if (!result.ok) {
    replies.splice(replies.indexOf(reply), 1);
    renderGeneral();
    setHint(result.body?.message ?? `The sandbox answered ${result.status}.`, true);
    return null;
  }
  setHint('Sent. Signed with the local key, as Discord does.');
  flow.apply(result.body, { reply, invokerId, channelId, use: reply.use, verb: 'used' });
  return reply;
}

/** An Apps entry chosen on a member (`{targetId}`) or a message (`{messageId, channelId}`). */
async function runApp(name, target) {
  const channelId = target.channelId ?? channels?.selectedId() ?? setup.guild.channels.general;
  const result = await postJson('/sandbox/api/app-commands', { name, invokerId, ...target, channelId }).catch(
    (error) => ({ ok: false, status: 0, body: { message: String(error) } }),
  );
  if (!result.ok) {
    toast(result.body?.message ?? `The sandbox answered ${result.status}.`);
    return;
  }
  flow.apply(result.body, { invokerId, channelId, use: name, verb: 'used' });
}

/** A plain message typed in the composer: posted in the selected channel as the member at the keyboard. */
async function say(content) {
  const channelId = channels?.selectedId() ?? setup.guild.channels.general;
  const result = await postJson('/sandbox/api/messages', { channelId, invokerId, content });
  if (!result.ok) {
    toast(result.body?.message ?? `The sandbox answered ${result.status}.`);
    return false;
  }
  await pollChannel();
  return true;
}

const isEphemeral = (reply) =>
  ((reply.answer?.data?.flags ?? 0) & EPHEMERAL) !== 0 || ((reply.message?.flags ?? 0) & EPHEMERAL) !== 0;
/** An ephemeral message is shown only to the member whose interaction made it. */
const visible = (reply) => !isEphemeral(reply) || reply.invokerId === invokerId;

/**
 * A button clicked (or a select's options picked: `values`) on a bot's or webhook's message: sent as
 * Discord sends it, the answer applied as Discord does.
 */
async function clickButton(source, customId, values) {
  const { message, channelId, token } = source;
  // Only the member who ran the command sees an ephemeral message, so only they can click on it.
  const clicker = source.reply && isEphemeral(source.reply) ? source.reply.invokerId : invokerId;
  const label = buttonLabel(message.components, customId, values);
  const click = { customId, channelId, message, token, invokerId: clicker, ...(values ? { values } : {}) };
  const result = await sendClick(click).catch((error) => ({
    ok: false,
    status: 0,
    body: { message: String(error) },
  }));
  if (!result.ok) {
    toast(result.body?.message ?? `The sandbox answered ${result.status}.`);
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

/** A stored message as shown: as a button's answer left it, unless the stand-in's copy changed since. */
function shownStored(message) {
  const update = storedUpdates.get(message.id);
  return update && update.basis === message.edited_timestamp ? update.message : message;
}

/** The click target `key` names (see messages.js): the message, where it is, how to change it. */
function clickSource(key) {
  const [kind, id, followupId] = key.split(':');
  if (kind === 'stored') {
    const stored = [...modlogMessages, ...channelMessages.messages].find((m) => m.id === id);
    if (!stored) return null;
    const basis = stored.edited_timestamp;
    return {
      message: shownStored(stored),
      channelId: stored.channel_id,
      token: null,
      update: (next) => storedUpdates.set(id, { message: next, basis }),
      watch: (token) => storedWatches.push({ messageId: id, token, since: Date.now(), seen: '', basis }),
    };
  }
  const reply = replies.find((r) => r.key === id);
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

function renderGeneral() {
  const here = channels?.selectedId() ?? setup.guild.channels.general;
  // The channel's own messages and this page's replies, in time order, as one history.
  const stored = channelMessages.channelId === here ? channelMessages.messages : [];
  const html = [
    ...stored.map((m) => ({
      at: Date.parse(m.timestamp),
      html: draw.stored(shownStored(m), 'channel-message'),
    })),
    ...replies
      .filter((reply) => reply.channelId === here && visible(reply))
      .map((reply) => ({ at: reply.sentAt.getTime(), html: draw.reply(reply, isEphemeral(reply)) })),
  ]
    .sort((a, b) => a.at - b.at)
    .map((item) => item.html)
    .join('');
  keepAtBottom($('general-scroll'), () => {
    $('general').innerHTML =
      html ||
      `<div class="empty">Pick a command below and send it. Start with <b>/modlog set</b> (channel #mod-logs), then try <b>/ban</b> on Tom with a duration of <b>1m</b> and watch #mod-logs. “Run commands as” changes who types; Hugo is a helper without ban rights, Maya cannot act on Sol (a higher role), and nobody can act on Ava, the owner. For the raid tools, pick #chat and run <b>/lockdown channel</b>, or simulate a raid and <b>/massban</b> it.</div>`;
  });
}

async function pollReplies() {
  const now = Date.now();
  let changed = false;
  const live = replies.filter(
    (r) => r.watch.length > 0 && now - (r.watchedSince ?? r.sentAt.getTime()) < TOKEN_LIFETIME_MS,
  );
  await Promise.all(
    live.flatMap((reply) =>
      reply.watch.map(async (token) => {
        const result = await getJson(`${control}/interactions/${encodeURIComponent(token)}`).catch(
          () => null,
        );
        if (!result?.ok) return;
        const original = result.body.find((m) => m.original) ?? null;
        const signature = JSON.stringify(result.body);
        if (reply.seen[token] === signature) return;
        reply.seen[token] = signature;
        changed = true;
        reply.followupsBy = { ...reply.followupsBy, [token]: result.body.filter((m) => !m.original) };
        reply.followups = reply.watch.flatMap((t) => reply.followupsBy[t] ?? []);
        if (!original) return;
        // A click's @original is the clicked message (after a deferred update, type 6): same message.
        const { original: _flag, ...message } = original;
        reply.message =
          token === reply.token || !reply.message
            ? message
            : { ...message, id: reply.message.id, interaction_metadata: reply.message.interaction_metadata };
        if (reply.state === 'deferred') reply.state = 'answered';
      }),
    ),
  );
  let modlogChanged = false;
  await Promise.all(
    storedWatches
      .filter((w) => now - w.since < TOKEN_LIFETIME_MS)
      .map(async (watch) => {
        const result = await getJson(`${control}/interactions/${encodeURIComponent(watch.token)}`).catch(
          () => null,
        );
        const original = result?.ok ? result.body.find((m) => m.original) : null;
        if (!original || JSON.stringify(original) === watch.seen) return;
        watch.seen = JSON.stringify(original);
        const { original: _flag, ...message } = original;
        storedUpdates.set(watch.messageId, {
          message: { ...message, id: watch.messageId },
          basis: watch.basis,
        });
        modlogChanged = true;
      }),
  );
  if (changed) renderGeneral();
  if (modlogChanged) renderGeneral();
  if (changed || modlogChanged) renderModlog();
}

// ---- #mod-logs ----

function renderModlog() {
  // The relay's posts and the replies to buttons clicked in #mod-logs, in time order, as one history.
  const html = [
    ...modlogMessages.map((m) => ({
      at: Date.parse(m.timestamp),
      html: draw.stored(shownStored(m), 'modlog-message'),
    })),
    ...replies
      .filter((r) => r.channelId === setup.guild.channels.modLogs && visible(r))
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
  const count = modlogMessages.reduce((n, m) => n + (m.embeds?.length ?? 0), 0);
  channels?.setBadge(setup.guild.channels.modLogs, count);
}

function renderBanner() {
  const banner = $('modlog-banner');
  if (!guild || modlogWebhook()) {
    banner.innerHTML = '';
    return;
  }
  banner.innerHTML = `<div class="banner"><span>No mod-log webhook in #mod-logs yet: embeds have nowhere to go.</span><button id="setup-modlog" type="button">Run /modlog set channel:#mod-logs</button></div>`;
  $('setup-modlog').onclick = () =>
    runCommand({ name: 'modlog', subcommand: 'set', options: { channel: setup.guild.channels.modLogs } });
}

let channelSignature = '';
async function pollChannel() {
  const here = channels?.selectedId();
  if (!here || here === setup.guild.channels.modLogs) return;
  const result = await getJson(`${control}/channels/${here}/messages`).catch(() => null);
  if (!result?.ok) return;
  const signature = JSON.stringify([here, result.body.map((m) => [m.id, m.edited_timestamp])]);
  if (signature === channelSignature) return;
  channelSignature = signature;
  channelMessages = { channelId: here, messages: result.body };
  renderGeneral();
}

async function pollModlog() {
  const result = await getJson(`${control}/channels/${setup.guild.channels.modLogs}/messages`).catch(
    () => null,
  );
  if (!result?.ok) return;
  const signature = JSON.stringify(
    result.body.map((m) => [m.id, m.edited_timestamp, m.embeds?.length, m.components?.length]),
  );
  if (signature !== modlogSignature) {
    modlogSignature = signature;
    modlogMessages = result.body;
    renderModlog();
  }
}

// ---- the guild: members, bans, webhooks ----

function renderMembers() {
  $('members').innerHTML = memberList(memberContext());
  for (const el of $('members').querySelectorAll('.member')) {
    // As in Discord, a member's context menu has the bot's Apps and Discord's own actions; it also
    // picks them in "Act in Discord's own UI", ready for acting by hand.
    el.oncontextmenu = (event) => {
      discordUi?.pickTarget(el.dataset.user);
      rightClick.member(event, el.dataset.user, el.classList.contains('banned'));
    };
    el.onclick = () => {
      const picker = document.querySelector('select[data-kind="user"]');
      if (picker) {
        picker.value = el.dataset.user;
        toast(`Picked ${names.userName(el.dataset.user)} for “${picker.name}”.`);
      }
    };
  }
}

const memberContext = () => ({
  guild,
  applicationId: setup.applicationId,
  invokerId,
  raiders: new Set(raiders),
  avatar: draw.avatar,
  shownName,
});
const renderInvokers = () => {
  $('invoker').innerHTML = invokerOptions(memberContext());
};

let guildSignature = '';
async function pollGuild() {
  const result = await getJson(`${control}/guilds/${setup.guild.guildId}`).catch(() => null);
  if (!result?.ok) return;
  const signature = JSON.stringify(result.body);
  if (signature === guildSignature) return;
  const first = guild === null;
  guildSignature = signature;
  guild = result.body;
  for (const user of [...guild.members.map((m) => m.user), ...guild.bans.map((b) => b.user)]) {
    if (user) seenUsers.set(user.id, user);
  }
  $('server-name').textContent = guild.name;
  $('security').innerHTML = securityBanner(guild.incidents_data);
  renderInvokers();
  renderMembers();
  discordUi?.render();
  renderBanner();
  await channels.refresh(invokerId);
  if (first) renderOptions();
  else refreshUserPickers();
}

// ---- the raid panel ----

async function raid(count) {
  try {
    const result = await simulateRaid(control, setup.guild.guildId, count);
    raiders = result.userIds;
    $('copy-raiders').disabled = false;
    toast(`${raiders.length} accounts joined just now.`);
    await pollGuild();
  } catch (error) {
    toast(`Could not simulate the raid: ${error.message}`);
  }
}

/** Opens /massban with the newest raid's ids: in `users` when they fit, else as the `file`. */
function raidersToMassban() {
  if (raiders.length === 0) return;
  $('command').value = 'massban';
  renderOptions();
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

/** The composer as the member at the keyboard finds it in the selected channel. */
function showChannel(view) {
  const state = composerState(view);
  $('channel-name').textContent = view?.name ?? 'general';
  $('say').placeholder = `Message #${view?.name ?? 'general'} (Enter sends)`;
  $('composer-fields').disabled = state.disabled;
  $('send').disabled = state.disabled;
  $('composer-locked').hidden = !state.disabled;
  $('composer-locked-text').textContent = state.notice;
  $('slowmode-note').hidden = !state.slowmode;
  $('slowmode-note').innerHTML = state.slowmode
    ? `${state.timer}<span>${escapeHtml(state.slowmode)}</span>`
    : '';
  $('composer').dataset.channel = view?.id ?? '';
  $('composer').classList.toggle('locked', state.disabled);
  pollChannel();
  renderGeneral();
}

// ---- polling ----

function every(ms, task) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (error) {
      console.warn(error);
    } finally {
      running = false;
    }
  };
  tick();
  setInterval(tick, ms);
}

// ---- start ----

async function start() {
  const result = await getJson('/sandbox/api/setup');
  setup = result.body;
  control = setup.controlPath;
  invokerId = setup.guild.defaultInvokerId;
  $('command').innerHTML = setup.commands
    .map((c) => `<option value="${c.name}"${c.name === 'ban' ? ' selected' : ''}>${c.name}</option>`)
    .join('');
  $('command').onchange = () => {
    autocomplete.hide();
    renderOptions();
  };
  $('subcommand').onchange = () => {
    autocomplete.hide();
    commandBox.renderFields();
  };
  $('invoker').onchange = async () => {
    invokerId = $('invoker').value;
    renderMembers();
    renderGeneral();
    renderModlog();
    await channels.refresh(invokerId);
  };
  channels = createChannels({
    list: $('channels'),
    modLogsId: setup.guild.channels.modLogs,
    initialId: setup.guild.channels.general,
    onSelect: showChannel,
    onModlog: () => {
      const scroller = $('modlog-scroll');
      scroller.scrollTop = scroller.scrollHeight;
      $('modlog-pane').classList.add('flash');
      setTimeout(() => $('modlog-pane').classList.remove('flash'), 800);
    },
  });
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
  for (const pane of [$('general'), $('modlog')]) {
    onButtonClick(pane, clicked, selectOf);
    // Right-click a message for its Apps (the stand-in's messages: members', the bot's, webhooks').
    pane.addEventListener('contextmenu', (event) => {
      const element = event.target.closest('.message[data-id]');
      const stored =
        element && [...modlogMessages, ...channelMessages.messages].find((m) => m.id === element.dataset.id);
      if (stored) rightClick.message(event, stored);
    });
  }
  const autocomplete = createAutocomplete({
    options: $('options'),
    popup: $('autocomplete'),
    request: () => commandBox.typed(),
    send: async (body) => {
      const channelId = channels?.selectedId() ?? setup.guild.channels.general;
      const result = await postJson('/sandbox/api/autocomplete', { ...body, invokerId, channelId });
      return result.ok && !result.body.failed ? { choices: result.body.choices } : { failed: true };
    },
  });
  $('say').onkeydown = async (event) => {
    if (event.key !== 'Enter') return;
    // Enter sends the message, never the command form around it.
    event.preventDefault();
    if ($('say').value.trim() !== '' && (await say($('say').value))) $('say').value = '';
  };
  discordUi = createDiscordUi({
    byId: $,
    context: () => ({
      guild,
      applicationId: setup.applicationId,
      raiders: new Set(raiders),
      shownName,
      control,
    }),
    onActed: pollGuild,
    toast,
  });
  $('simulate-raid').onclick = () => raid(300);
  $('copy-raiders').onclick = raidersToMassban;
  $('composer').onsubmit = async (event) => {
    event.preventDefault();
    if ($('composer-fields').disabled) return;
    $('send').disabled = true;
    autocomplete.hide();
    try {
      if (await runCommand(readForm())) {
        for (const el of $('options').querySelectorAll('input:not([id$="-name"]), textarea')) el.value = '';
      }
    } finally {
      $('send').disabled = $('composer-fields').disabled;
    }
  };
  if (!setup.canSign) {
    setHint('DISCORD_PUBLIC_KEY is a real application’s key: the sandbox cannot sign commands for it.', true);
  }
  const tools = createSidebarTools({
    byId: $,
    control: () => control,
    getJson,
    postJson,
    toast,
    modlogWebhook,
    onGuildChanged: pollGuild,
  });
  tools.wire();

  await pollGuild();
  renderGeneral();
  every(1000, pollGuild);
  every(700, pollModlog);
  every(1000, pollChannel);
  every(700, pollReplies);
  every(1500, tools.pollRequests);
  every(3000, tools.pollStatus);
  setInterval(() => refreshTimes(document), 1000);
}

start().catch((error) => {
  document.body.insertAdjacentHTML(
    'afterbegin',
    `<div class="error-box">The sandbox could not start: ${escapeHtml(String(error))}</div>`,
  );
});
