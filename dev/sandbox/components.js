// Message components as Discord draws them and sends their interactions: action rows of buttons
// (style colours, label, emoji, disabled) and string selects (the placeholder or the option marked
// default, a chevron; opened, a list of options with their descriptions and emoji; one pick sends at
// once, a multi-select sends its picks when the list closes), whether the message is a bot's reply or
// a webhook's (the mod-log's case buttons); a click or pick is sent to /sandbox/api/components, which
// builds the MESSAGE_COMPONENT interaction, signs it and POSTs it to the Worker. The caller
// (message-clicks.js) owns the messages and applies the answer: type 4 a new message, 6 an edit to come
// through @original, 7 the message updated in place, 9 a modal.
import { escapeHtml } from './render.js';

const ACTION_ROW = 1;
const BUTTON = 2;
const STRING_SELECT = 3;
const STYLES = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium' };
const EXTERNAL =
  '<svg class="external" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M15 2a1 1 0 1 0 0 2h3.6l-7.3 7.3a1 1 0 0 0 1.4 1.4L20 5.4V9a1 1 0 1 0 2 0V3a1 1 0 0 0-1-1h-6ZM5 4a3 3 0 0 0-3 3v12a3 3 0 0 0 3 3h12a3 3 0 0 0 3-3v-5a1 1 0 1 0-2 0v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5a1 1 0 1 0 0-2H5Z"/></svg>';
const CHEVRON =
  '<svg class="select-chevron" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M5.3 9.3a1 1 0 0 1 1.4 0l5.3 5.29 5.3-5.3a1 1 0 1 1 1.4 1.42l-6 6a1 1 0 0 1-1.4 0l-6-6a1 1 0 0 1 0-1.42Z"/></svg>';

function emojiHtml(emoji) {
  if (!emoji) return '';
  // Custom emoji live on Discord's CDN, which the sandbox does not reach: shown by name.
  const shown = emoji.id ? `:${emoji.name ?? 'emoji'}:` : (emoji.name ?? '');
  return `<span class="button-emoji">${escapeHtml(shown)}</span>`;
}

function buttonHtml(button) {
  const style = STYLES[button.style] ?? 'secondary';
  const label = button.label ? `<span class="button-label">${escapeHtml(button.label)}</span>` : '';
  const inner = `${emojiHtml(button.emoji)}${label}${style === 'link' ? EXTERNAL : ''}`;
  const disabled = button.disabled ? ' disabled aria-disabled="true"' : '';
  if (style === 'link') {
    return button.disabled
      ? `<button type="button" class="component-button link" disabled>${inner}</button>`
      : `<a class="component-button link" href="${escapeHtml(button.url ?? '#')}" target="_blank" rel="noreferrer">${inner}</a>`;
  }
  return `<button type="button" class="component-button ${style}" data-custom-id="${escapeHtml(button.custom_id ?? '')}"${disabled}>${inner}</button>`;
}

/** A string select, closed: what it shows is the default options' labels, else its placeholder. */
function selectHtml(select) {
  const defaults = (select.options ?? []).filter((o) => o.default);
  const shown = defaults.length
    ? `<span class="select-value">${escapeHtml(defaults.map((o) => o.label).join(', '))}</span>`
    : `<span class="select-placeholder">${escapeHtml(select.placeholder ?? 'Make a selection')}</span>`;
  const disabled = select.disabled ? ' disabled aria-disabled="true"' : '';
  return `<button type="button" class="component-select" aria-haspopup="listbox" data-custom-id="${escapeHtml(select.custom_id ?? '')}" data-min="${select.min_values ?? 1}" data-max="${select.max_values ?? 1}"${disabled}>${shown}${CHEVRON}</button>`;
}

/** The open list of a select's options (`picked`: values ticked so far in a multi-select). */
export function selectOptionsHtml(select, picked = []) {
  const multiple = (select.max_values ?? 1) > 1;
  return (select.options ?? [])
    .map((option) => {
      const ticked = picked.includes(option.value);
      const description = option.description
        ? `<div class="select-option-description">${escapeHtml(option.description)}</div>`
        : '';
      const box = multiple ? `<span class="select-check${ticked ? ' ticked' : ''}"></span>` : '';
      return `<div class="select-option" role="option" aria-selected="${ticked}" data-value="${escapeHtml(option.value)}">${emojiHtml(option.emoji)}<div class="select-option-text"><div class="select-option-label">${escapeHtml(option.label)}</div>${description}</div>${box}</div>`;
    })
    .join('');
}

/** A message's components: one flex row per action row, buttons and selects in it (other kinds named). */
export function renderComponents(components) {
  if (!components?.length) return '';
  const rows = components
    .filter((row) => row.type === ACTION_ROW)
    .map((row) => {
      const items = (row.components ?? []).map((c) =>
        c.type === BUTTON
          ? buttonHtml(c)
          : c.type === STRING_SELECT
            ? selectHtml(c)
            : `<span class="component-other">component type ${escapeHtml(String(c.type))}</span>`,
      );
      return `<div class="action-row">${items.join('')}</div>`;
    });
  return `<div class="components">${rows.join('')}</div>`;
}

/** The component of `components` with this custom_id. */
export function findComponent(components, customId) {
  for (const row of components ?? []) {
    for (const c of row.components ?? []) if (c.custom_id === customId) return c;
  }
  return null;
}

/** What a click or pick is called in "Maya clicked Confirm" / "Maya picked #12 Ban". */
export function buttonLabel(components, customId, values) {
  const component = findComponent(components, customId);
  if (!component) return customId;
  if (values) {
    const labels = values.map((v) => component.options?.find((o) => o.value === v)?.label ?? v);
    return labels.join(', ');
  }
  return component.label ?? customId;
}

/**
 * Sends a click: `{customId, channelId, message, token, invokerId, values?}` → the sandbox's answer
 * `{ok, status, body}`, body `{interaction, status, body, message?, modal?, failed?}` when ok.
 */
export async function sendClick(click) {
  const response = await fetch('/sandbox/api/components', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(click),
  });
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

/**
 * Calls `onClick(messageKey, customId, element, values)` for clicks on enabled buttons under `root`,
 * and for picks in its selects (`findSelect(messageKey, customId)` gives the select's definition).
 */
export function onButtonClick(root, onClick, findSelect = () => null) {
  root.addEventListener('click', (event) => {
    const holder = event.target.closest?.('[data-message-key]');
    const button = event.target.closest?.('button.component-button[data-custom-id]');
    if (button && !button.disabled && root.contains(button) && holder) {
      onClick(holder.dataset.messageKey, button.dataset.customId, button);
      return;
    }
    const toggle = event.target.closest?.('button.component-select[data-custom-id]');
    if (!toggle || toggle.disabled || !holder) return;
    const key = holder.dataset.messageKey;
    const select = findSelect(key, toggle.dataset.customId);
    if (select) openSelect(toggle, select, (values) => onClick(key, select.custom_id, toggle, values));
  });
}

/** The open list of one select, floating under it (outside the message, which polling redraws). */
let openList = null;

function closeList(send) {
  if (!openList) return;
  const { element, picked, onPick, multiple, select } = openList;
  openList = null;
  element.remove();
  if (send && multiple && picked.length > 0 && picked.length >= (select.min_values ?? 1)) onPick(picked);
}

function openSelect(toggle, select, onPick) {
  const reopening = openList?.customId === select.custom_id;
  closeList(true);
  if (reopening) return;
  const doc = toggle.ownerDocument;
  const element = doc.createElement('div');
  element.className = 'select-menu';
  element.setAttribute('role', 'listbox');
  const multiple = (select.max_values ?? 1) > 1;
  openList = { element, picked: [], onPick, multiple, customId: select.custom_id, select };
  element.innerHTML = selectOptionsHtml(select);
  const box = toggle.getBoundingClientRect();
  element.style.left = `${box.left}px`;
  element.style.width = `${Math.max(box.width, 240)}px`;
  element.style.top = `${box.bottom + 4}px`;
  doc.body.append(element);
  // Near the bottom of the window the list opens upwards, as Discord's does.
  const height = element.getBoundingClientRect().height;
  if (box.bottom + 4 + height > doc.defaultView.innerHeight)
    element.style.top = `${Math.max(8, box.top - 4 - height)}px`;
  element.addEventListener('mousedown', (event) => event.preventDefault());
  element.addEventListener('click', (event) => {
    const row = event.target.closest('.select-option');
    if (!row || !openList) return;
    const value = row.dataset.value;
    if (!multiple) {
      closeList(false);
      onPick([value]);
      return;
    }
    const { picked } = openList;
    const at = picked.indexOf(value);
    if (at >= 0) picked.splice(at, 1);
    else if (picked.length < (select.max_values ?? 1)) picked.push(value);
    element.innerHTML = selectOptionsHtml(select, picked);
  });
  const away = (event) => {
    if (element.contains(event.target) || toggle.contains(event.target)) return;
    doc.removeEventListener('mousedown', away, true);
    closeList(true);
  };
  doc.addEventListener('mousedown', away, true);
}
