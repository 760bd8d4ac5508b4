// Discord's modal on the sandbox page, for a bot's type 9 answer: a dark dialog over a dimmed page
// with the app's name and the modal's title, its text inputs (from action rows, or labels, type 18)
// with their labels, red marks on required ones (Discord's default), placeholders, pre-filled values,
// a one-line input for style 1 and a text area for style 2, and Cancel / Submit. Submit is refused in
// place, as Discord's client refuses it, while a required field is empty or a value is outside its
// lengths; otherwise `onSubmit(values)` sends it, and its answer either closes the modal or shows why
// it failed inside it (Discord keeps a modal open when its submit fails). `modalInputs` and
// `modalProblems` are pure.
import { escapeHtml } from './render.js';

const ACTION_ROW = 1;
const TEXT_INPUT = 4;
const LABEL = 18;
const PARAGRAPH = 2;
const MAX_VALUE = 4000;

/** The modal's text inputs in order, with Discord's defaults (required unless false, 0–4000 characters). */
export function modalInputs(modal) {
  const inputs = [];
  const add = (input, label) => {
    if (input?.type !== TEXT_INPUT || typeof input.custom_id !== 'string') return;
    inputs.push({
      customId: input.custom_id,
      label: label ?? input.label ?? '',
      description: null,
      paragraph: input.style === PARAGRAPH,
      required: input.required !== false,
      minLength: input.min_length ?? 0,
      maxLength: input.max_length ?? MAX_VALUE,
      placeholder: input.placeholder ?? '',
      value: input.value ?? '',
    });
  };
  for (const top of modal?.components ?? []) {
    if (top.type === ACTION_ROW) for (const c of top.components ?? []) add(c);
    else if (top.type === LABEL) {
      add(top.component, top.label);
      if (inputs.length > 0 && top.description) inputs[inputs.length - 1].description = top.description;
    }
  }
  return inputs;
}

/** Per input, what stops Submit (Discord's wording), by custom_id; empty when it may be sent. */
export function modalProblems(inputs, values) {
  const problems = {};
  for (const input of inputs) {
    const value = values[input.customId] ?? '';
    if (input.required && value.trim() === '') problems[input.customId] = 'This field is required';
    else if (value !== '' && value.length < input.minLength)
      problems[input.customId] = `Must be at least ${input.minLength} characters long`;
    else if (value.length > input.maxLength)
      problems[input.customId] = `Must be ${input.maxLength} or fewer characters long`;
  }
  return problems;
}

function inputHtml(input, index) {
  const id = `modal-input-${index}`;
  const common = `id="${id}" data-custom-id="${escapeHtml(input.customId)}" maxlength="${input.maxLength}" placeholder="${escapeHtml(input.placeholder)}"`;
  const field = input.paragraph
    ? `<textarea ${common} rows="4">${escapeHtml(input.value)}</textarea>`
    : `<input type="text" ${common} value="${escapeHtml(input.value)}">`;
  const required = input.required ? '<span class="required" aria-label="required">*</span>' : '';
  const description = input.description
    ? `<div class="modal-description">${escapeHtml(input.description)}</div>`
    : '';
  return `<div class="modal-field"><label for="${id}">${escapeHtml(input.label)}${required}</label>${description}${field}<div class="modal-field-error" data-error-for="${escapeHtml(input.customId)}"></div></div>`;
}

export function modalHtml(modal, appName) {
  const inputs = modalInputs(modal);
  return `<div class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-custom-id="${escapeHtml(modal.custom_id)}">
    <header class="modal-header"><div class="modal-app">${escapeHtml(appName)}</div><h2 id="modal-title">${escapeHtml(modal.title)}</h2><button type="button" class="modal-close" aria-label="Close">×</button></header>
    <form class="modal-body" novalidate>${inputs.map(inputHtml).join('')}<div class="modal-error" role="alert" hidden></div></form>
    <footer class="modal-footer"><button type="button" class="modal-cancel">Cancel</button><button type="button" class="modal-submit">Submit</button></footer>
  </div>`;
}

/**
 * Opens the modal. `onSubmit(values)` resolves `{ok: true}` (close) or `{error}` (stay open and
 * show it). Only one modal is open at a time, as in Discord; opening another replaces it.
 */
export function openModal({ modal, appName = 'Lockdown', onSubmit, doc = document }) {
  doc.querySelector('.modal-backdrop')?.remove();
  const backdrop = doc.createElement('div');
  backdrop.className = 'modal-backdrop';
  backdrop.innerHTML = modalHtml(modal, appName);
  doc.body.append(backdrop);
  const inputs = modalInputs(modal);
  const submit = backdrop.querySelector('.modal-submit');
  const error = backdrop.querySelector('.modal-error');
  const close = () => {
    backdrop.remove();
    doc.removeEventListener('keydown', onKey);
  };
  const onKey = (event) => {
    if (event.key === 'Escape') close();
  };
  doc.addEventListener('keydown', onKey);
  backdrop.querySelector('.modal-close').onclick = close;
  backdrop.querySelector('.modal-cancel').onclick = close;
  backdrop.addEventListener('mousedown', (event) => {
    if (event.target === backdrop) close();
  });
  const values = () =>
    Object.fromEntries(
      [...backdrop.querySelectorAll('[data-custom-id]:is(input, textarea)')].map((el) => [
        el.dataset.customId,
        el.value,
      ]),
    );
  async function send() {
    const current = values();
    const problems = modalProblems(inputs, current);
    for (const el of backdrop.querySelectorAll('.modal-field-error')) {
      el.textContent = problems[el.dataset.errorFor] ? ` — ${problems[el.dataset.errorFor]}` : '';
    }
    if (Object.keys(problems).length > 0) return;
    submit.disabled = true;
    submit.classList.add('loading');
    error.hidden = true;
    try {
      const result = await onSubmit(current);
      if (result?.ok) close();
      else {
        error.textContent = result?.error ?? 'Something went wrong. Try again.';
        error.hidden = false;
      }
    } finally {
      submit.disabled = false;
      submit.classList.remove('loading');
    }
  }
  submit.onclick = send;
  backdrop.querySelector('.modal-body').onsubmit = (event) => {
    event.preventDefault();
    send();
  };
  backdrop.querySelector('[data-custom-id]:is(input, textarea)')?.focus();
  return { close, element: backdrop };
}
