// Message components as Discord checks them, pure — the first layout: action rows of buttons or of
// one select menu. At most 5 rows (40 top-level components with the IS_COMPONENTS_V2 flag, whose
// other component types are kept unchecked); a row 1–5 wide (a button counts 1, a select 5);
// custom_id 1–100 characters, required on every button but link and premium ones, unique in the
// message; button label ≤ 80, link url ≤ 512; select placeholder ≤ 150, min_values 0–25,
// max_values 1–25, a string select's options 1–25 (label and value 1–100, description ≤ 100).
// Figures from openapi.json (ActionRowComponentForMessageRequest, ButtonComponentForMessageRequest,
// StringSelectComponentForMessageRequest, StringSelectOptionForRequest). Errors go into the 50035
// tree at `components.<row>.components.<n>.<field>`, with Discord's codes where known
// (COMPONENT_CUSTOM_ID_DUPLICATED, COMPONENT_LAYOUT_WIDTH_EXCEEDED, BUTTON_COMPONENT_CUSTOM_ID_REQUIRED).
// Also: which components are interactive (a button with a custom_id, any select) — what only a
// webhook our application made may send.
import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import type { FieldError, FormErrors } from './errors.ts';
import {
  charCount,
  checkInteger,
  checkText,
  fieldError,
  isRecord,
  maxLength,
  notArray,
  notObject,
  required,
  setError,
} from './validation.ts';

export const componentLimits = {
  actionRows: 5,
  topLevelV2: 40,
  rowWidth: 5,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
  placeholder: 150,
  options: 25,
  optionText: 100,
  optionDescription: 100,
  values: 25,
} as const;

type Path = (string | number)[];

const badLength = (min: number, max: number) =>
  fieldError('BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
const choices = (values: readonly number[]) =>
  fieldError('BASE_TYPE_CHOICES', `Value must be one of {${values.join(', ')}}.`);

const SELECT_TYPES: readonly number[] = [
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
];
const ROW_CHILD_TYPES: readonly number[] = [ComponentType.Button, ...SELECT_TYPES];
const BUTTON_STYLES: readonly number[] = [
  ButtonStyle.Primary,
  ButtonStyle.Secondary,
  ButtonStyle.Success,
  ButtonStyle.Danger,
  ButtonStyle.Link,
  ButtonStyle.Premium,
];

/** Buttons that answer with an interaction (they carry a custom_id), and every select. */
function isInteractive(component: Record<string, unknown>): boolean {
  if (component.type === ComponentType.Button)
    return component.style !== ButtonStyle.Link && component.style !== ButtonStyle.Premium;
  return SELECT_TYPES.includes(component.type as number);
}

/** A custom_id: a string of 1–100 characters, unique in the message (`seen`). */
function checkCustomId(
  tree: FormErrors,
  path: Path,
  value: unknown,
  seen: Set<string>,
  missing: FieldError[],
) {
  if (value === undefined || value === null) {
    setError(tree, path, missing);
    return;
  }
  if (typeof value !== 'string') {
    setError(tree, path, fieldError('BASE_TYPE_STRING', 'Could not interpret value as string.'));
    return;
  }
  const length = charCount(value);
  if (length < 1 || length > componentLimits.customId) {
    setError(tree, path, badLength(1, componentLimits.customId));
    return;
  }
  if (seen.has(value)) {
    setError(
      tree,
      path,
      fieldError('COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated'),
    );
    return;
  }
  seen.add(value);
}

function checkButton(tree: FormErrors, at: Path, button: Record<string, unknown>, seen: Set<string>) {
  const style = button.style;
  if (typeof style !== 'number' || !BUTTON_STYLES.includes(style)) {
    setError(tree, [...at, 'style'], style === undefined ? required() : choices(BUTTON_STYLES));
    return;
  }
  checkText(tree, [...at, 'label'], button.label, componentLimits.buttonLabel);
  if (style === ButtonStyle.Link) {
    checkText(tree, [...at, 'url'], button.url, componentLimits.buttonUrl, { required: true });
    if (button.custom_id !== undefined && button.custom_id !== null) {
      const both = fieldError(
        'BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE',
        'A custom id and url cannot both be specified',
      );
      setError(tree, [...at, 'custom_id'], both);
    }
    return;
  }
  if (style === ButtonStyle.Premium) {
    if (typeof button.sku_id !== 'string') setError(tree, [...at, 'sku_id'], required());
    return;
  }
  checkCustomId(
    tree,
    [...at, 'custom_id'],
    button.custom_id,
    seen,
    fieldError('BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id required'),
  );
}

function checkSelect(tree: FormErrors, at: Path, select: Record<string, unknown>, seen: Set<string>) {
  checkCustomId(tree, [...at, 'custom_id'], select.custom_id, seen, required());
  checkText(tree, [...at, 'placeholder'], select.placeholder, componentLimits.placeholder);
  checkInteger(tree, [...at, 'min_values'], select.min_values, 0, componentLimits.values);
  checkInteger(tree, [...at, 'max_values'], select.max_values, 1, componentLimits.values);
  if (select.type !== ComponentType.StringSelect) return;
  const options = select.options;
  if (options === undefined || options === null) {
    setError(tree, [...at, 'options'], required());
    return;
  }
  if (!Array.isArray(options)) {
    setError(tree, [...at, 'options'], notArray());
    return;
  }
  if (options.length < 1 || options.length > componentLimits.options) {
    setError(tree, [...at, 'options'], badLength(1, componentLimits.options));
    return;
  }
  options.forEach((option: unknown, index) => {
    const path = [...at, 'options', index];
    if (!isRecord(option)) {
      setError(tree, path, notObject());
      return;
    }
    for (const name of ['label', 'value'] as const) {
      checkText(tree, [...path, name], option[name], componentLimits.optionText, { required: true });
    }
    checkText(tree, [...path, 'description'], option.description, componentLimits.optionDescription);
  });
}

function checkRow(tree: FormErrors, index: number, row: unknown, seen: Set<string>) {
  const at: Path = ['components', index];
  if (!isRecord(row)) {
    setError(tree, at, notObject());
    return;
  }
  if (row.type !== ComponentType.ActionRow) {
    setError(tree, [...at, 'type'], row.type === undefined ? required() : choices([ComponentType.ActionRow]));
    return;
  }
  const children = row.components;
  if (children === undefined || children === null) {
    setError(tree, [...at, 'components'], required());
    return;
  }
  if (!Array.isArray(children)) {
    setError(tree, [...at, 'components'], notArray());
    return;
  }
  if (children.length < 1 || children.length > componentLimits.rowWidth) {
    setError(tree, [...at, 'components'], badLength(1, componentLimits.rowWidth));
    return;
  }
  let width = 0;
  children.forEach((child: unknown, n) => {
    const path = [...at, 'components', n];
    if (!isRecord(child)) {
      setError(tree, path, notObject());
      return;
    }
    if (typeof child.type !== 'number' || !ROW_CHILD_TYPES.includes(child.type)) {
      setError(tree, [...path, 'type'], child.type === undefined ? required() : choices(ROW_CHILD_TYPES));
      return;
    }
    // A select takes the whole row: anything past a width of 5 does not fit.
    width += child.type === ComponentType.Button ? 1 : componentLimits.rowWidth;
    if (width > componentLimits.rowWidth) {
      setError(
        tree,
        path,
        fieldError('COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width'),
      );
      return;
    }
    if (child.type === ComponentType.Button) checkButton(tree, path, child, seen);
    else checkSelect(tree, path, child, seen);
  });
}

/** Checks a message's `components` into `tree` (the message's 50035 tree). */
export function checkComponents(tree: FormErrors, components: unknown, flags: unknown): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    setError(tree, ['components'], notArray());
    return;
  }
  const v2 = typeof flags === 'number' && (flags & MessageFlags.IsComponentsV2) !== 0;
  const max = v2 ? componentLimits.topLevelV2 : componentLimits.actionRows;
  if (components.length > max) {
    setError(tree, ['components'], maxLength(max));
    return;
  }
  const seen = new Set<string>();
  components.forEach((row: unknown, index) => {
    // Components V2 layouts (containers, sections, text) are kept as sent, unchecked.
    if (v2 && isRecord(row) && row.type !== ComponentType.ActionRow) return;
    checkRow(tree, index, row, seen);
  });
}

/** Where the interactive components of (already checked) action rows are: `[row, n]` pairs. */
export function interactiveComponents(components: readonly unknown[]): [number, number][] {
  return components.flatMap((row, index) => {
    if (!isRecord(row) || row.type !== ComponentType.ActionRow || !Array.isArray(row.components)) return [];
    return row.components.flatMap((child: unknown, n): [number, number][] =>
      isRecord(child) && isInteractive(child) ? [[index, n]] : [],
    );
  });
}

/**
 * A webhook our application did not make may send only non-interactive components (link buttons),
 * and only with `with_components=true`. Discord documents the rule, not its error body: the stand-in
 * answers 50035 naming each interactive component (the code is the stand-in's own).
 */
export function nonOwnedWebhookErrors(components: readonly unknown[]): FormErrors | null {
  const found = interactiveComponents(components);
  if (found.length === 0) return null;
  const tree: FormErrors = {};
  for (const [row, n] of found) {
    setError(
      tree,
      ['components', row, 'components', n],
      fieldError(
        'COMPONENT_INTERACTIVE_NOT_ALLOWED',
        'Interactive components can only be sent by application-owned webhooks',
      ),
    );
  }
  return tree;
}
