// The command box's form, built from a command's definition as Discord's client builds its option
// fields: a subcommand picker, users (members, banned users, users outside the server), channels the
// member can see (of the option's channel types), True/False for booleans, numbers with their bounds,
// choices, long text, and a file (pasted text the sandbox uploads as the attachment). Read back as
// the request /sandbox/api/commands takes, and described as Discord shows a use ("/ban user:@Tom").
// An option with `autocomplete: true` is a one-line text field (`data-autocomplete`) whatever its
// type, as in Discord, where the bot's suggestions fill it (autocomplete.js); it sends the value of
// the suggestion picked, or the text typed.
import { pickedValue } from './autocomplete.js';
import { escapeHtml } from './render.js';

export const OPTION = {
  SUBCOMMAND: 1,
  STRING: 3,
  INTEGER: 4,
  BOOLEAN: 5,
  USER: 6,
  CHANNEL: 7,
  NUMBER: 10,
  ATTACHMENT: 11,
};

/**
 * `elements`: the command and subcommand selects, the options container, the description line.
 * `context()`: `{commands, guild, outsiders, applicationId, names, shownName, canView(channelId)}`.
 */
export function createCommandBox({ elements, context }) {
  const commandByName = (name) => context().commands.find((c) => c.name === name);
  const optionsOf = (request) => {
    const command = commandByName(request.name);
    if (!command) return [];
    if (!request.subcommand) return command.options ?? [];
    return (command.options ?? []).find((o) => o.name === request.subcommand)?.options ?? [];
  };

  function current() {
    const command = commandByName(elements.command.value);
    const subcommands = (command.options ?? []).filter((o) => o.type === OPTION.SUBCOMMAND);
    if (subcommands.length === 0) return { command, subcommand: null, options: command.options ?? [] };
    const subcommand = subcommands.find((o) => o.name === elements.subcommand.value) ?? subcommands[0];
    return { command, subcommand, options: subcommand.options ?? [] };
  }

  function userChoices(selected) {
    const { guild, outsiders, applicationId, shownName } = context();
    const isMember = (id) => guild?.members.some((m) => m.user?.id === id);
    const members = (guild?.members ?? []).filter((m) => m.user && m.user.id !== applicationId);
    const option = (user, member) =>
      `<option value="${user.id}"${user.id === selected ? ' selected' : ''}>${escapeHtml(shownName(user, member))} (@${escapeHtml(user.username)})</option>`;
    const banned = guild?.bans ?? [];
    const others = outsiders.filter((u) => !isMember(u.id) && !banned.some((b) => b.user.id === u.id));
    return [
      `<option value="">Pick a user…</option>`,
      `<optgroup label="Members">${members.map((m) => option(m.user, m)).join('')}</optgroup>`,
      banned.length
        ? `<optgroup label="Banned">${banned.map((b) => option(b.user, null)).join('')}</optgroup>`
        : '',
      others.length
        ? `<optgroup label="Not in the server">${others.map((u) => option(u, null)).join('')}</optgroup>`
        : '',
    ].join('');
  }

  function field(option) {
    const id = `opt-${option.name}`;
    const required = option.required ? ' <span class="required">*</span>' : '';
    const label = `<label for="${id}" title="${escapeHtml(option.description)}">${escapeHtml(option.name)}${required}</label>`;
    const { guild, canView } = context();
    if (option.autocomplete) {
      const integer = option.type === OPTION.INTEGER || option.type === OPTION.NUMBER;
      const length = option.max_length !== undefined ? ` maxlength="${option.max_length}"` : '';
      const input = `<input id="${id}" name="${option.name}" type="text" data-autocomplete="1" autocomplete="off"${integer ? ' inputmode="numeric"' : length} placeholder="${escapeHtml(option.description)}">`;
      return `<div class="option">${label}${input}</div>`;
    }
    let input;
    switch (option.type) {
      case OPTION.USER:
        input = `<select id="${id}" name="${option.name}" data-kind="user">${userChoices(null)}</select>`;
        break;
      case OPTION.CHANNEL: {
        // Discord's picker offers the channels of the right types that the member can see.
        const channels = (guild?.channels ?? []).filter(
          (c) => (!option.channel_types || option.channel_types.includes(c.type)) && canView(c.id),
        );
        input = `<select id="${id}" name="${option.name}"><option value="">—</option>${channels
          .map((c) => `<option value="${c.id}">#${escapeHtml(c.name)}</option>`)
          .join('')}</select>`;
        break;
      }
      case OPTION.INTEGER:
      case OPTION.NUMBER: {
        const bound = (attr, value) => (value !== undefined ? ` ${attr}="${value}"` : '');
        input = option.choices
          ? choiceSelect(id, option)
          : `<input id="${id}" name="${option.name}" type="number" step="${option.type === OPTION.INTEGER ? 1 : 'any'}"${bound('min', option.min_value)}${bound('max', option.max_value)} placeholder="${option.min_value ?? ''}">`;
        break;
      }
      case OPTION.BOOLEAN:
        input = `<select id="${id}" name="${option.name}"><option value="">—</option><option value="true">True</option><option value="false">False</option></select>`;
        break;
      case OPTION.ATTACHMENT:
        // Discord's client uploads the file before it sends the command; the sandbox uploads pasted text.
        input = `<div class="attachment-input"><input id="${id}-name" type="text" value="users.txt" aria-label="${option.name} file name"><textarea id="${id}" name="${option.name}" data-kind="attachment" rows="2" placeholder="Paste the file’s text: it is uploaded as an attachment"></textarea></div>`;
        break;
      default: {
        const length = (attr, value) => (value !== undefined ? ` ${attr}="${value}"` : '');
        const limits = `${length('maxlength', option.max_length)}${length('minlength', option.min_length)}`;
        input = option.choices
          ? choiceSelect(id, option)
          : option.max_length >= 1000
            ? `<textarea id="${id}" name="${option.name}" rows="2"${limits} placeholder="${escapeHtml(option.description)}"></textarea>`
            : `<input id="${id}" name="${option.name}" type="text"${limits} placeholder="${escapeHtml(option.description)}">`;
      }
    }
    return `<div class="option">${label}${input}</div>`;
  }

  const choiceSelect = (id, option) =>
    `<select id="${id}" name="${option.name}"><option value="">—</option>${option.choices
      .map((c) => `<option value="${escapeHtml(c.value)}">${escapeHtml(c.name)}</option>`)
      .join('')}</select>`;

  function renderFields() {
    const { command, subcommand, options } = current();
    elements.description.textContent = (subcommand ?? command).description;
    elements.options.innerHTML = options.map(field).join('');
  }

  return {
    /** Fills the subcommand picker for the chosen command, then its fields. */
    render() {
      const command = commandByName(elements.command.value);
      const subcommands = (command.options ?? []).filter((o) => o.type === OPTION.SUBCOMMAND);
      const sub = elements.subcommand;
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
      renderFields();
    },
    renderFields,

    /** Re-fills user pickers when the member list changes, keeping what was picked. */
    refreshUserPickers() {
      for (const select of elements.options.querySelectorAll('select[data-kind="user"]')) {
        select.innerHTML = userChoices(select.value);
      }
    },

    /** The request for /sandbox/api/commands: values by option name, pasted files apart. */
    read() {
      const { command, subcommand, options } = current();
      const values = {};
      const files = {};
      for (const option of options) {
        const el = document.getElementById(`opt-${option.name}`);
        if (!el || el.value === '') continue;
        if (option.type === OPTION.ATTACHMENT) {
          const name = document.getElementById(`opt-${option.name}-name`)?.value;
          files[option.name] = { filename: name || 'users.txt', text: el.value };
        } else values[option.name] = option.autocomplete ? pickedValue(el) : el.value;
      }
      return { name: command.name, subcommand: subcommand?.name ?? null, options: values, files };
    },

    /** What autocomplete sends: every option's text as it stands (picked choices' values), by name. */
    typed() {
      const { command, subcommand, options } = current();
      const values = {};
      for (const option of options) {
        const el = document.getElementById(`opt-${option.name}`);
        if (el && option.type !== OPTION.ATTACHMENT)
          values[option.name] = option.autocomplete ? pickedValue(el) : el.value;
      }
      return { name: command.name, subcommand: subcommand?.name ?? null, options: values };
    },

    /** "/ban user:@Tom duration:1h", as Discord shows who used what. */
    describe(request) {
      const { names } = context();
      const parts = [`/${request.name}`];
      if (request.subcommand) parts.push(request.subcommand);
      for (const [name, value] of Object.entries(request.options ?? {})) {
        let shown = String(value);
        const option = optionsOf(request).find((o) => o.name === name);
        if (option?.type === OPTION.USER) shown = `@${names.userName(shown) ?? shown}`;
        else if (option?.type === OPTION.CHANNEL) shown = `#${names.channelName(shown) ?? shown}`;
        else if (option?.type === OPTION.BOOLEAN) shown = shown === 'true' ? 'True' : 'False';
        else if (shown.length > 60) shown = `${shown.slice(0, 57)}…`;
        parts.push(`${name}:${shown}`);
      }
      for (const [name, file] of Object.entries(request.files ?? {})) parts.push(`${name}:${file.filename}`);
      return parts.join(' ');
    },
  };
}
