// Message components as Discord draws them and sends their clicks: action rows of buttons (style
// colours, label, emoji, disabled), and a click sent to /sandbox/api/components, which builds the
// MESSAGE_COMPONENT interaction, signs it and POSTs it to the Worker. The caller (sandbox.js) owns
// the messages and applies the answer: type 4 a new message, 6 an edit to come through @original,
// 7 the message updated in place.
import { escapeHtml } from './render.js';

const ACTION_ROW = 1;
const BUTTON = 2;
const STYLES = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium' };
const EXTERNAL =
  '<svg class="external" width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M15 2a1 1 0 1 0 0 2h3.6l-7.3 7.3a1 1 0 0 0 1.4 1.4L20 5.4V9a1 1 0 1 0 2 0V3a1 1 0 0 0-1-1h-6ZM5 4a3 3 0 0 0-3 3v12a3 3 0 0 0 3 3h12a3 3 0 0 0 3-3v-5a1 1 0 1 0-2 0v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5a1 1 0 1 0 0-2H5Z"/></svg>';

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

/** A message's components: one flex row per action row, buttons in it (other kinds are named). */
export function renderComponents(components) {
  if (!components?.length) return '';
  const rows = components
    .filter((row) => row.type === ACTION_ROW)
    .map((row) => {
      const items = (row.components ?? []).map((c) =>
        c.type === BUTTON
          ? buttonHtml(c)
          : `<span class="component-other">component type ${escapeHtml(String(c.type))}</span>`,
      );
      return `<div class="action-row">${items.join('')}</div>`;
    });
  return `<div class="components">${rows.join('')}</div>`;
}

/** The label a button shows, for "Maya clicked Confirm". */
export function buttonLabel(components, customId) {
  for (const row of components ?? []) {
    for (const c of row.components ?? []) if (c.custom_id === customId) return c.label ?? customId;
  }
  return customId;
}

/**
 * Sends a click: `{customId, channelId, message, token, invokerId}` → the sandbox's answer
 * `{ok, status, body}`, body `{interaction, status, body, message?}` when ok.
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

/** Calls `onClick(messageElement, customId, button)` for clicks on enabled buttons under `root`. */
export function onButtonClick(root, onClick) {
  root.addEventListener('click', (event) => {
    const button = event.target.closest?.('button.component-button[data-custom-id]');
    if (!button || button.disabled || !root.contains(button)) return;
    const holder = button.closest('[data-message-key]');
    if (holder) onClick(holder.dataset.messageKey, button.dataset.customId, button);
  });
}
