// Discord's payload limits as pure checks: the limits table, the field-level checks and error
// vocabulary every check shares, and webhook names, timeouts, ban options, audit-log reasons,
// snowflakes and command definitions. Message bodies (content, embeds) are message-validation.ts.
// Each check returns Discord's nested `errors` tree (or null), so the caller can answer 50035 verbatim.
import type { FieldError, FormErrors } from './errors.ts';

export const limits = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedColor: 0xffffff,
  webhookName: 80,
  auditLogReason: 512,
  /** Modify Guild Member: "up to 28 days in the future". */
  timeoutMs: 28 * 24 * 60 * 60 * 1000,
  banDeleteSeconds: 604_800,
  banDeleteDays: 7,
  commandName: 32,
  commandDescription: 100,
  /** openapi.json caps the bulk-overwrite array at 130 items. */
  commandsPerOverwrite: 130,
} as const;

/** Discord counts characters as Python does (code points), not UTF-16 units. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export const fieldError = (code: string, message: string): FieldError[] => [{ code, message }];
export const maxLength = (max: number) =>
  fieldError('BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
export const required = () => fieldError('BASE_TYPE_REQUIRED', 'This field is required');
export const notString = () => fieldError('BASE_TYPE_STRING', 'Could not interpret value as string.');
export const notArray = () => fieldError('BASE_TYPE_ARRAY', 'Must be an array.');
export const notObject = () => fieldError('DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');

/** Merges `value` at `path` into `tree`, creating the intermediate levels. */
export function setError(tree: FormErrors, path: readonly (string | number)[], errors: FieldError[]): void {
  let node: FormErrors = tree;
  for (const key of path) {
    const name = String(key);
    const next = node[name];
    if (next === undefined || Array.isArray(next)) {
      const created: FormErrors = {};
      node[name] = created;
      node = created;
    } else {
      node = next;
    }
  }
  node._errors = [...(node._errors ?? []), ...errors];
}

export const isEmpty = (tree: FormErrors) => Object.keys(tree).length === 0;
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks an optional string field against a maximum length; returns its length (0 when absent). */
export function checkText(
  tree: FormErrors,
  path: (string | number)[],
  value: unknown,
  max: number,
  options: { required?: boolean } = {},
): number {
  if (value === undefined || value === null) {
    if (options.required) setError(tree, path, required());
    return 0;
  }
  if (typeof value !== 'string') {
    setError(tree, path, notString());
    return 0;
  }
  if (options.required && value.length === 0) {
    setError(tree, path, required());
    return 0;
  }
  const length = charCount(value);
  if (length > max) setError(tree, path, maxLength(max));
  return length;
}

/** Webhook names: 1..80 characters, and never containing "clyde" or "discord" (case-insensitive). */
export function webhookNameProblems(name: unknown): FieldError[] | null {
  if (name === undefined || name === null) return required();
  if (typeof name !== 'string') return notString();
  const length = charCount(name);
  if (length < 1 || length > limits.webhookName) {
    return fieldError('BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${limits.webhookName} in length.`);
  }
  for (const word of ['clyde', 'discord']) {
    if (name.toLowerCase().includes(word)) {
      return fieldError('USERNAME_INVALID_CONTAINS', `Username cannot contain "${word}"`);
    }
  }
  return null;
}

/**
 * `communication_disabled_until`: null clears it; a past instant is accepted (Discord does, and the
 * member simply is not timed out); more than 28 days ahead is refused.
 */
export function checkTimeout(
  value: unknown,
  nowMs: number,
): { ok: true; until: Date | null } | { ok: false; errors: FormErrors } {
  if (value === null) return { ok: true, until: null };
  const invalid = (code: string, message: string) => ({
    ok: false as const,
    errors: { communication_disabled_until: { _errors: fieldError(code, message) } },
  });
  if (typeof value !== 'string')
    return invalid('DATE_TIME_TYPE_PARSE', 'Could not parse value. Should be ISO8601.');
  const until = new Date(value);
  if (Number.isNaN(until.getTime())) {
    return invalid('DATE_TIME_TYPE_PARSE', `Could not parse ${value}. Should be ISO8601.`);
  }
  if (until.getTime() - nowMs > limits.timeoutMs) {
    return invalid('INVALID_COMMUNICATION_DISABLED_TIMESTAMP', 'Invalid communication disabled timestamp');
  }
  return { ok: true, until };
}

/** An optional integer field within min..max. */
export function checkInteger(
  tree: FormErrors,
  path: readonly (string | number)[],
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    setError(tree, path, fieldError('NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`));
  } else if (value > max) {
    setError(tree, path, fieldError('NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`));
  } else if (value < min) {
    setError(
      tree,
      path,
      fieldError('NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`),
    );
  }
}

/** Create Guild Ban's body: delete_message_seconds 0..604800, or the deprecated delete_message_days 0..7. */
export function checkBanBody(body: unknown): FormErrors | null {
  if (body === null || body === undefined) return null;
  if (!isRecord(body)) return { _errors: notObject() };
  const tree: FormErrors = {};
  checkInteger(tree, ['delete_message_seconds'], body.delete_message_seconds, 0, limits.banDeleteSeconds);
  checkInteger(tree, ['delete_message_days'], body.delete_message_days, 0, limits.banDeleteDays);
  return isEmpty(tree) ? null : tree;
}

/**
 * X-Audit-Log-Reason arrives URL-encoded; the 512-character limit applies to the decoded text.
 * A header that is not valid percent-encoding is taken as it is.
 */
export function decodeAuditLogReason(header: string | undefined): {
  reason: string | null;
  errors: FormErrors | null;
} {
  if (header === undefined) return { reason: null, errors: null };
  let reason: string;
  try {
    reason = decodeURIComponent(header);
  } catch {
    reason = header;
  }
  if (charCount(reason) > limits.auditLogReason) {
    return { reason, errors: { audit_log_reason: { _errors: maxLength(limits.auditLogReason) } } };
  }
  return { reason, errors: null };
}

const SNOWFLAKE = /^\d{1,20}$/;
const MAX_SNOWFLAKE = 2n ** 64n - 1n;

export function isSnowflake(value: string): boolean {
  return SNOWFLAKE.test(value) && BigInt(value) <= MAX_SNOWFLAKE;
}

/** Discord's answer to a path id that is not a snowflake. */
export function snowflakeErrors(field: string, value: string): FormErrors {
  return { [field]: { _errors: fieldError('NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`) } };
}

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Bulk overwrite bodies: an array of commands, names unique per type, chat-input names lower case. */
export function checkCommandsBody(body: unknown): FormErrors | null {
  if (!Array.isArray(body)) return { _errors: notArray() };
  const tree: FormErrors = {};
  if (body.length > limits.commandsPerOverwrite) setError(tree, [], maxLength(limits.commandsPerOverwrite));
  const seen = new Set<string>();
  body.forEach((command: unknown, index) => {
    if (!isRecord(command)) {
      setError(tree, [index], notObject());
      return;
    }
    const type = command.type ?? 1;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
      setError(tree, [index, 'type'], fieldError('BASE_TYPE_CHOICES', `Value must be one of {1, 2, 3, 4}.`));
    }
    const name = command.name;
    if (typeof name !== 'string' || name.length === 0) {
      setError(tree, [index, 'name'], required());
    } else if (charCount(name) > limits.commandName) {
      setError(
        tree,
        [index, 'name'],
        fieldError('BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${limits.commandName} in length.`),
      );
    } else if (type === 1 && (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())) {
      setError(
        tree,
        [index, 'name'],
        fieldError('APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid'),
      );
    } else {
      const key = `${String(type)}:${name}`;
      if (seen.has(key)) {
        setError(
          tree,
          [index, 'name'],
          fieldError('APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`),
        );
      }
      seen.add(key);
    }
    if (type === 1) {
      checkText(tree, [index, 'description'], command.description, limits.commandDescription, {
        required: true,
      });
    }
  });
  return isEmpty(tree) ? null : tree;
}
