// The sandbox page: a fake Discord server to drive Lockdown by hand. The command box is built from the
// bot's own command definitions (shared/command-definitions.ts, served by /sandbox/api/setup); a
// command is sent to /sandbox/api/commands, which builds the interaction as Discord does, signs it and
// POSTs it to the Worker. Everything else is read from the Discord stand-in's control API (/__sandbox)
// on this origin, by polling: the guild (members, roles, bans, webhooks), #mod-logs, deferred replies,
// the request log. Rendering (markdown, embeds, times) is render.js.
// Over 350 lines on purpose: this is the page's one controller, plain browser JavaScript with no build
// step; its panels (command box, #general replies, #mod-logs, members, faults and cron) read and
// re-render the same few pieces of page state (setup, guild, the invoker), so split into modules they
// would share mutable state through imports rather than each own a job. Sections below mark the panels.
import { calendarTime, escapeHtml, refreshTimes, renderEmbed, renderMarkdown } from './render.js';

const $ = (id) => document.getElementById(id);
const OPTION = { SUBCOMMAND: 1, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7 };
const EPHEMERAL = 1 << 6;
const EYE =
  '<svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 5C5.6 5 2 12 2 12s3.6 7 10 7 10-7 10-7-3.6-7-10-7Zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-2.2a1.8 1.8 0 1 0 0-3.6 1.8 1.8 0 0 0 0 3.6Z"/></svg>';
const AVATAR_COLOURS = ['#5865f2', '#757e8a', '#3ba55c', '#faa61a', '#ed4245', '#eb459f'];

let setup = null;
let control = '/__sandbox';
let guild = null;
let invokerId = null;
/** Commands sent from this page, oldest first: what was typed, the Worker's answer, later edits. */
const replies = [];
let modlogSignature = '';
let requestSeq = 0;
const requestLines = [];

// ---- names, as Discord shows them ----

const memberOf = (id) => guild?.members.find((m) => m.user?.id === id) ?? null;
const shownName = (user, member) => member?.nick || user?.global_name || user?.username || null;
const names = {
  userName(id) {
    if (setup && id === setup.applicationId) return 'Lockdown';
    const member = memberOf(id);
    if (member) return shownName(member.user, member);
    const ban = guild?.bans.find((b) => b.user.id === id);
    if (ban) return shownName(ban.user);
    const outsider = setup?.outsiders.find((u) => u.id === id);
    return outsider ? shownName(outsider) : null;
  },
  roleName: (id) => guild?.roles.find((r) => r.id === id)?.name ?? null,
  channelName: (id) => guild?.channels.find((c) => c.id === id)?.name ?? null,
};
const md = (text) => renderMarkdown(text, names);

function avatar(id, label, size = 40) {
  const colour = AVATAR_COLOURS[Number(BigInt(id) % BigInt(AVATAR_COLOURS.length))];
  const initial = escapeHtml((label || '?').slice(0, 1).toUpperCase());
  return `<div class="avatar" style="background:${colour};width:${size}px;height:${size}px">${initial}</div>`;
}

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

// ---- the command box ----

const commandByName = (name) => setup.commands.find((c) => c.name === name);

function currentOptions() {
  const command = commandByName($('command').value);
  const subcommands = (command.options ?? []).filter((o) => o.type === OPTION.SUBCOMMAND);
  if (subcommands.length === 0) return { command, subcommand: null, options: command.options ?? [] };
  const subcommand = subcommands.find((o) => o.name === $('subcommand').value) ?? subcommands[0];
  return { command, subcommand, options: subcommand.options ?? [] };
}

function userChoices(selected) {
  const members = (guild?.members ?? []).filter((m) => m.user && m.user.id !== setup.applicationId);
  const option = (user, member, extra = '') =>
    `<option value="${user.id}"${user.id === selected ? ' selected' : ''}>${escapeHtml(shownName(user, member))} (@${escapeHtml(user.username)})${extra}</option>`;
  const banned = guild?.bans ?? [];
  const outsiders = (setup.outsiders ?? []).filter(
    (u) => !memberOf(u.id) && !banned.some((b) => b.user.id === u.id),
  );
  return [
    `<option value="">Pick a user…</option>`,
    `<optgroup label="Members">${members.map((m) => option(m.user, m)).join('')}</optgroup>`,
    banned.length
      ? `<optgroup label="Banned">${banned.map((b) => option(b.user, null)).join('')}</optgroup>`
      : '',
    outsiders.length
      ? `<optgroup label="Not in the server">${outsiders.map((u) => option(u, null)).join('')}</optgroup>`
      : '',
  ].join('');
}

function optionField(option) {
  const id = `opt-${option.name}`;
  const required = option.required ? ' <span class="required">*</span>' : '';
  const label = `<label for="${id}" title="${escapeHtml(option.description)}">${escapeHtml(option.name)}${required}</label>`;
  let input;
  switch (option.type) {
    case OPTION.USER:
      input = `<select id="${id}" name="${option.name}" data-kind="user">${userChoices(null)}</select>`;
      break;
    case OPTION.CHANNEL: {
      const channels = (guild?.channels ?? []).filter(
        (c) => !option.channel_types || option.channel_types.includes(c.type),
      );
      input = `<select id="${id}" name="${option.name}"><option value="">—</option>${channels
        .map((c) => `<option value="${c.id}">#${escapeHtml(c.name)}</option>`)
        .join('')}</select>`;
      break;
    }
    case OPTION.INTEGER:
      input = `<input id="${id}" name="${option.name}" type="number" step="1"${option.min_value !== undefined ? ` min="${option.min_value}"` : ''} placeholder="${option.min_value ?? ''}">`;
      break;
    case OPTION.BOOLEAN:
      input = `<select id="${id}" name="${option.name}"><option value="">—</option><option>true</option><option>false</option></select>`;
      break;
    default:
      input = option.choices
        ? `<select id="${id}" name="${option.name}"><option value="">—</option>${option.choices
            .map((c) => `<option value="${escapeHtml(c.value)}">${escapeHtml(c.name)}</option>`)
            .join('')}</select>`
        : `<input id="${id}" name="${option.name}" type="text"${option.max_length ? ` maxlength="${option.max_length}"` : ''} placeholder="${escapeHtml(option.description)}">`;
  }
  return `<div class="option">${label}${input}</div>`;
}

function renderOptions() {
  const command = commandByName($('command').value);
  const subcommands = (command.options ?? []).filter((o) => o.type === OPTION.SUBCOMMAND);
  const sub = $('subcommand');
  if (subcommands.length > 0) {
    const chosen =
      sub.value && subcommands.some((s) => s.name === sub.value) ? sub.value : subcommands[0].name;
    sub.innerHTML = subcommands
      .map((s) => `<option value="${s.name}"${s.name === chosen ? ' selected' : ''}>${s.name}</option>`)
      .join('');
    sub.hidden = false;
  } else {
    sub.hidden = true;
    sub.innerHTML = '';
  }
  const { subcommand, options } = currentOptions();
  $('command-description').textContent = (subcommand ?? command).description;
  $('options').innerHTML = options.map(optionField).join('');
  setHint('Signed with the local key and sent to the Worker, as Discord does.');
}

/** Re-fills user pickers when the member list changes, keeping what was picked. */
function refreshUserPickers() {
  for (const select of document.querySelectorAll('select[data-kind="user"]')) {
    const value = select.value;
    select.innerHTML = userChoices(value);
  }
}

function setHint(text, error = false) {
  const hint = $('composer-hint');
  hint.textContent = text;
  hint.style.color = error ? 'var(--red)' : '';
}

function readForm() {
  const { command, subcommand, options } = currentOptions();
  const values = {};
  for (const option of options) {
    const el = $(`opt-${option.name}`);
    if (el && el.value !== '') values[option.name] = el.value;
  }
  return { name: command.name, subcommand: subcommand?.name ?? null, options: values };
}

function describeUse(request) {
  const parts = [`/${request.name}`];
  if (request.subcommand) parts.push(request.subcommand);
  for (const [name, value] of Object.entries(request.options ?? {})) {
    let shown = String(value);
    const option = (currentOptionsFor(request) ?? []).find((o) => o.name === name);
    if (option?.type === OPTION.USER) shown = `@${names.userName(shown) ?? shown}`;
    else if (option?.type === OPTION.CHANNEL) shown = `#${names.channelName(shown) ?? shown}`;
    parts.push(`${name}:${shown}`);
  }
  return parts.join(' ');
}

function currentOptionsFor(request) {
  const command = commandByName(request.name);
  if (!command) return [];
  if (!request.subcommand) return command.options ?? [];
  return (command.options ?? []).find((o) => o.name === request.subcommand)?.options ?? [];
}

/** Sends a command as the current invoker; the reply shows up in #general. */
async function runCommand(request) {
  const reply = {
    key: crypto.randomUUID(),
    invokerId,
    use: describeUse(request),
    sentAt: new Date(),
    state: 'sending',
    answer: null,
    original: null,
    followups: [],
    error: null,
  };
  replies.push(reply);
  renderGeneral();
  const result = await postJson('/sandbox/api/commands', { ...request, invokerId }).catch((error) => ({
    ok: false,
    status: 0,
    body: { message: String(error) },
  }));
  if (!result.ok) {
    replies.splice(replies.indexOf(reply), 1);
    renderGeneral();
    setHint(result.body?.message ?? `The sandbox answered ${result.status}.`, true);
    return null;
  }
  setHint('Sent. Signed with the local key, as Discord does.');
  const { interaction, status, body } = result.body;
  reply.token = interaction.token;
  reply.status = status;
  reply.answer = body;
  if (status !== 200) {
    reply.state = 'failed';
    reply.error = `The Worker answered HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
  } else if (body?.type === 5) reply.state = 'deferred';
  else reply.state = 'answered';
  renderGeneral();
  return reply;
}

function replyContent(reply) {
  if (reply.state === 'sending') return '<div class="thinking">Sending</div>';
  if (reply.state === 'failed') return `<div class="error-box">${escapeHtml(reply.error)}</div>`;
  const message = reply.original ?? (reply.state === 'deferred' ? null : reply.answer?.data);
  if (!message) return '<div class="thinking">Lockdown is thinking</div>';
  const parts = [];
  if (message.content) parts.push(`<div class="content">${md(message.content)}</div>`);
  for (const embed of message.embeds ?? []) parts.push(renderEmbed(embed, names));
  const ephemeral =
    ((reply.answer?.data?.flags ?? 0) & EPHEMERAL) !== 0 || ((message.flags ?? 0) & EPHEMERAL) !== 0;
  if (ephemeral) parts.push(`<div class="ephemeral-note">${EYE}Only you can see this</div>`);
  return parts.join('');
}

function renderGeneral() {
  const html = replies
    .map((reply) => {
      const who = names.userName(reply.invokerId) ?? 'someone';
      const followups = reply.followups
        .map(
          (f) =>
            `<div class="message">${avatar(setup.applicationId, 'L')}<div><div class="message-head"><span class="author">Lockdown</span><span class="tag">APP</span></div><div class="content">${md(f.content ?? '')}</div>${(f.embeds ?? []).map((e) => renderEmbed(e, names)).join('')}</div></div>`,
        )
        .join('');
      return `<div class="reply" data-state="${reply.state}" data-token="${escapeHtml(reply.token ?? '')}">
        <div class="message">${avatar(setup.applicationId, 'L')}<div>
          <div class="used">↳ <span>${escapeHtml(who)} used</span> <span class="command-name">${escapeHtml(reply.use)}</span></div>
          <div class="message-head"><span class="author">Lockdown</span><span class="tag">APP</span><span class="when">${escapeHtml(calendarTime(reply.sentAt))}</span>${reply.original?.edited_timestamp ? '<span class="edited">(edited)</span>' : ''}</div>
          <div class="reply-body">${replyContent(reply)}</div>
        </div></div>${followups}</div>`;
    })
    .join('');
  keepAtBottom($('general-scroll'), () => {
    $('general').innerHTML =
      html ||
      `<div class="empty">Pick a command below and send it. Start with <b>/modlog set</b> (channel #mod-logs), then try <b>/ban</b> on Tom with a duration of <b>1m</b> and watch #mod-logs. “Run commands as” changes who types; Hugo is a helper without ban rights, Maya cannot act on Sol (a higher role), and nobody can act on Ava, the owner.</div>`;
  });
}

async function pollReplies() {
  const now = Date.now();
  const live = replies.filter((r) => r.token && now - r.sentAt.getTime() < 120_000);
  await Promise.all(
    live.map(async (reply) => {
      const result = await getJson(`${control}/interactions/${encodeURIComponent(reply.token)}`).catch(
        () => null,
      );
      if (!result?.ok) return;
      const original = result.body.find((m) => m.original) ?? null;
      const followups = result.body.filter((m) => !m.original);
      const before = JSON.stringify([reply.original, reply.followups]);
      if (JSON.stringify([original, followups]) !== before) {
        reply.original = original;
        reply.followups = followups;
        if (original && reply.state === 'deferred') reply.state = 'answered';
        renderGeneral();
      }
    }),
  );
}

// ---- #mod-logs ----

function renderModlog(messages) {
  const html = messages
    .map((message) => {
      const name = message.author?.username ?? 'webhook';
      const edited = message.edited_timestamp ? '<span class="edited">(edited)</span>' : '';
      const embeds = (message.embeds ?? []).map((e) => renderEmbed(e, names)).join('');
      return `<div class="message modlog-message" data-id="${message.id}">${avatar(message.author?.id ?? '0', name)}<div>
        <div class="message-head"><span class="author">${escapeHtml(name)}</span><span class="tag">BOT</span><span class="when"><time class="calendar" datetime="${message.timestamp}">${escapeHtml(calendarTime(new Date(message.timestamp)))}</time></span>${edited}</div>
        ${message.content ? `<div class="content">${md(message.content)}</div>` : ''}${embeds}</div></div>`;
    })
    .join('');
  keepAtBottom($('modlog-scroll'), () => {
    $('modlog').innerHTML =
      html ||
      '<div class="empty">Nothing posted yet. Moderation actions appear here once the mod-log is set.</div>';
  });
  const count = messages.reduce((n, m) => n + (m.embeds?.length ?? 0), 0);
  $('modlog-count').hidden = count === 0;
  $('modlog-count').textContent = String(count);
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

async function pollModlog() {
  const result = await getJson(`${control}/channels/${setup.guild.channels.modLogs}/messages`).catch(
    () => null,
  );
  if (!result?.ok) return;
  const signature = JSON.stringify(result.body.map((m) => [m.id, m.edited_timestamp, m.embeds?.length]));
  if (signature !== modlogSignature) {
    modlogSignature = signature;
    renderModlog(result.body);
  }
}

// ---- the guild: members, bans, webhooks ----

function highestRole(member) {
  return (member.roles ?? [])
    .map((id) => guild.roles.find((r) => r.id === id))
    .filter(Boolean)
    .sort((a, b) => b.position - a.position)[0];
}

function renderMembers() {
  const groups = new Map();
  const now = Date.now();
  for (const member of guild.members) {
    if (!member.user) continue;
    const role = highestRole(member);
    const label = member.user.id === setup.applicationId ? 'Apps' : (role?.name ?? 'Online');
    const position = member.user.id === setup.applicationId ? -1 : (role?.position ?? 0);
    if (!groups.has(label)) groups.set(label, { position, items: [] });
    const timedOut =
      member.communication_disabled_until && Date.parse(member.communication_disabled_until) > now;
    const sub = [
      member.user.id === guild.ownerId ? 'server owner' : `@${member.user.username}`,
      timedOut
        ? `timed out until ${new Date(member.communication_disabled_until).toLocaleString('en-US')}`
        : '',
      guild.closedDms.includes(member.user.id) ? 'DMs closed' : '',
    ]
      .filter(Boolean)
      .join(' · ');
    groups
      .get(label)
      .items.push(
        `<div class="member${member.user.id === invokerId ? ' invoker' : ''}" data-user="${member.user.id}">${avatar(member.user.id, shownName(member.user, member), 32)}<div class="who"><div class="name">${escapeHtml(shownName(member.user, member))}${member.user.id === setup.applicationId ? ' <span class="tag">APP</span>' : ''}</div><div class="sub">${escapeHtml(sub)}</div></div></div>`,
      );
  }
  const sections = [...groups.entries()]
    .sort((a, b) => b[1].position - a[1].position)
    .map(
      ([label, group]) =>
        `<div class="section"><div class="section-title">${escapeHtml(label)} — ${group.items.length}</div>${group.items.join('')}</div>`,
    );
  if (guild.bans.length > 0) {
    sections.push(
      `<div class="section"><div class="section-title">Banned — ${guild.bans.length}</div>${guild.bans
        .map(
          (b) =>
            `<div class="member banned" data-user="${b.user.id}">${avatar(b.user.id, shownName(b.user), 32)}<div class="who"><div class="name">${escapeHtml(shownName(b.user))}</div><div class="sub">${escapeHtml(b.reason ?? 'no reason')}</div></div></div>`,
        )
        .join('')}</div>`,
    );
  }
  $('members').innerHTML = sections.join('');
  for (const el of $('members').querySelectorAll('.member')) {
    el.onclick = () => {
      const picker = document.querySelector('select[data-kind="user"]');
      if (picker) {
        picker.value = el.dataset.user;
        toast(`Picked ${names.userName(el.dataset.user)} for “${picker.name}”.`);
      }
    };
  }
}

function renderInvokers() {
  const select = $('invoker');
  const members = guild.members.filter((m) => m.user && m.user.id !== setup.applicationId);
  select.innerHTML = members
    .map((m) => {
      const role = highestRole(m);
      const label = `${shownName(m.user, m)} — ${m.user.id === guild.ownerId ? 'owner' : (role?.name ?? 'no role')}`;
      return `<option value="${m.user.id}"${m.user.id === invokerId ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    })
    .join('');
}

let guildSignature = '';
async function pollGuild() {
  const result = await getJson(`${control}/guilds/${setup.guild.guildId}`).catch(() => null);
  if (!result?.ok) return;
  const signature = JSON.stringify(result.body);
  if (signature === guildSignature) return;
  const first = guild === null;
  guildSignature = signature;
  guild = result.body;
  $('server-name').textContent = guild.name;
  renderInvokers();
  renderMembers();
  renderBanner();
  if (first) renderOptions();
  else refreshUserPickers();
}

// ---- faults, cron, status, request log ----

async function addFault(fault, message) {
  const result = await postJson(`${control}/faults`, fault);
  toast(result.ok ? message : `Could not add the fault: ${result.body?.message ?? result.status}`);
}

const faultActions = {
  'webhook-500': (hook) =>
    addFault(
      { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 1, status: 500 },
      'The next mod-log post will get a 500.',
    ),
  'webhook-429': (hook) =>
    addFault(
      { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 1, status: 429, retryAfter: 5 },
      'The next mod-log post will be rate limited (retry after 5 s).',
    ),
  'webhook-503x3': (hook) =>
    addFault(
      { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 3, status: 503 },
      'The next 3 mod-log posts will get a 503.',
    ),
  'api-500': () =>
    addFault(
      { path: '^/(guilds|users|channels)/', count: 1, status: 500 },
      'The next bot API call will get a 500.',
    ),
  'delete-webhook': async (hook) => {
    const result = await getJson(`${control}/webhooks/${hook.id}`, { method: 'DELETE' });
    toast(
      result.ok
        ? 'Deleted the mod-log webhook, as a server admin might. Run /modlog set to repair it.'
        : 'Could not delete it.',
    );
    await pollGuild();
  },
};

async function runCron(offsetMs) {
  const result = await postJson('/sandbox/api/cron', { offsetMs });
  const when = offsetMs === 0 ? 'now' : `as at ${new Date(result.body?.time).toLocaleString('en-US')}`;
  toast(
    result.ok
      ? `Cron ran ${when}: ${result.body.outcome}`
      : `Cron failed: ${result.body?.message ?? result.status}`,
  );
}

async function pollStatus() {
  const result = await getJson('/sandbox/api/status').catch(() => null);
  for (const name of ['worker', 'relay']) {
    const state = result?.body?.[name];
    $(`status-${name}`).className = `dot-status ${state?.ok ? 'ok' : state ? 'bad' : ''}`;
    $(`status-${name}-text`).textContent =
      `${name === 'worker' ? 'Worker' : 'Relay'}: ${state ? (state.ok ? 'up' : state.detail) : '…'}`;
  }
}

const redactPath = (path) => path.replace(/^(\/webhooks\/\d+\/)[^/?]+/, '$1…');
async function pollRequests() {
  const result = await getJson(`${control}/requests?since=${requestSeq}`).catch(() => null);
  if (!result?.ok || result.body.length === 0) return;
  for (const r of result.body) {
    requestSeq = Math.max(requestSeq, r.seq);
    requestLines.push(r);
  }
  requestLines.splice(0, Math.max(0, requestLines.length - 60));
  $('request-log').innerHTML = requestLines
    .slice()
    .reverse()
    .map(
      (r) =>
        `<div class="log-line" title="${escapeHtml(`${r.method} ${redactPath(r.path)} → ${r.status}`)}"><span class="s${String(r.status)[0]}">${r.status || '…'}</span><span>${escapeHtml(r.method)}</span><span class="path">${escapeHtml(redactPath(r.path))}</span></div>`,
    )
    .join('');
}

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
  $('command').onchange = renderOptions;
  $('subcommand').onchange = () => {
    const { command, subcommand, options } = currentOptions();
    $('command-description').textContent = (subcommand ?? command).description;
    $('options').innerHTML = options.map(optionField).join('');
  };
  $('invoker').onchange = () => {
    invokerId = $('invoker').value;
    renderMembers();
  };
  $('composer').onsubmit = async (event) => {
    event.preventDefault();
    $('send').disabled = true;
    try {
      if (await runCommand(readForm())) {
        for (const el of $('options').querySelectorAll('input')) el.value = '';
      }
    } finally {
      $('send').disabled = false;
    }
  };
  if (!setup.canSign) {
    setHint('DISCORD_PUBLIC_KEY is a real application’s key: the sandbox cannot sign commands for it.', true);
  }
  for (const button of document.querySelectorAll('[data-fault]')) {
    button.onclick = async () => {
      const hook = modlogWebhook();
      if (!hook && button.dataset.fault !== 'api-500') {
        toast('There is no mod-log webhook yet: run /modlog set first.');
        return;
      }
      await faultActions[button.dataset.fault](hook);
    };
  }
  for (const button of document.querySelectorAll('[data-cron]'))
    button.onclick = () => runCron(Number(button.dataset.cron));

  await pollGuild();
  renderGeneral();
  every(1000, pollGuild);
  every(700, pollModlog);
  every(700, pollReplies);
  every(1500, pollRequests);
  every(3000, pollStatus);
  setInterval(() => refreshTimes(document), 1000);
}

start().catch((error) => {
  document.body.insertAdjacentHTML(
    'afterbegin',
    `<div class="error-box">The sandbox could not start: ${escapeHtml(String(error))}</div>`,
  );
});
