// Autocomplete in the sandbox's command box, as Discord's client does it: when an option whose
// definition has `autocomplete: true` gets the focus, and again while it is typed in (debounced),
// the options so far go to /sandbox/api/autocomplete, which sends the signed autocomplete
// interaction; the bot's choices are listed above the command box (answers to older keystrokes are
// dropped). Up/Down move through them, Enter or Tab or a click picks one: the field then shows the
// choice's name and sends its value (`data-value`), until it is typed in again. A failed answer
// reads "Loading options failed", as in Discord. `pickedValue` and `suggestionsHtml` are pure.
import { escapeHtml } from './render.js';

export const DEBOUNCE_MS = 250;

/** The value an autocomplete field sends: the picked choice's while its name is still shown, else the text. */
export function pickedValue(field) {
  return field.dataset.value !== undefined && field.dataset.shown === field.value
    ? field.dataset.value
    : field.value;
}

export function suggestionsHtml(optionName, choices, active, failed = false) {
  if (failed) return '<div class="autocomplete-empty">Loading options failed</div>';
  if (choices.length === 0) return '';
  const rows = choices
    .map(
      (choice, index) =>
        `<div class="autocomplete-choice${index === active ? ' active' : ''}" role="option" aria-selected="${index === active}" data-index="${index}">${escapeHtml(choice.name)}</div>`,
    )
    .join('');
  return `<div class="autocomplete-title">Options for <b>${escapeHtml(optionName)}</b></div>${rows}`;
}

/**
 * `options`: the element holding the option fields; `popup`: where choices are listed;
 * `request(optionName)`: `{name, subcommand, options}` as typed now (the page adds who and where);
 * `send(body)` → `{choices}` or `{failed}`.
 */
export function createAutocomplete({ options, popup, request, send, delayMs = DEBOUNCE_MS }) {
  let field = null;
  let choices = [];
  let active = 0;
  let failed = false;
  let timer = null;
  let sequence = 0;

  function render() {
    const html = field ? suggestionsHtml(field.name, choices, active, failed) : '';
    popup.innerHTML = html;
    popup.hidden = html === '';
  }

  function hide() {
    clearTimeout(timer);
    sequence += 1;
    field = null;
    choices = [];
    failed = false;
    render();
  }

  async function ask(target) {
    const mine = ++sequence;
    const typed = request(target.name);
    // The focused option is sent as typed, even where a picked choice's value stood.
    const body = {
      ...typed,
      options: { ...typed.options, [target.name]: target.value },
      focused: target.name,
    };
    const answer = await send(body).catch(() => ({ failed: true }));
    // An answer to an older keystroke (or a field left since) is dropped.
    if (mine !== sequence || field !== target) return;
    failed = Boolean(answer?.failed);
    choices = failed ? [] : (answer?.choices ?? []);
    active = 0;
    render();
  }

  function schedule(target, delay) {
    clearTimeout(timer);
    field = target;
    timer = setTimeout(() => ask(target), delay);
  }

  function pick(index) {
    const choice = choices[index];
    if (!field || !choice) return;
    field.value = choice.name;
    field.dataset.value = String(choice.value);
    field.dataset.shown = choice.name;
    const picked = field;
    hide();
    picked.focus();
  }

  const isAutocomplete = (el) => el?.matches?.('[data-autocomplete]');
  options.addEventListener('focusin', (event) => {
    if (isAutocomplete(event.target)) schedule(event.target, 0);
  });
  options.addEventListener('input', (event) => {
    if (!isAutocomplete(event.target)) return;
    // Typing again leaves the picked choice: the text is what is sent now.
    if (event.target.dataset.shown !== event.target.value) {
      delete event.target.dataset.value;
      delete event.target.dataset.shown;
    }
    schedule(event.target, delayMs);
  });
  options.addEventListener('focusout', (event) => {
    // A click in the list moves the focus first: let it land.
    if (isAutocomplete(event.target))
      setTimeout(() => field === event.target && !popup.matches(':hover') && hide(), 150);
  });
  options.addEventListener('keydown', (event) => {
    if (!isAutocomplete(event.target) || popup.hidden || choices.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : choices.length - 1)) % choices.length;
      render();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      pick(active);
    } else if (event.key === 'Escape') hide();
  });
  popup.addEventListener('mousedown', (event) => event.preventDefault());
  popup.addEventListener('click', (event) => {
    const row = event.target.closest('.autocomplete-choice');
    if (row) pick(Number(row.dataset.index));
  });

  return { hide };
}
