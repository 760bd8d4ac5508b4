// The bodies of the routes raid tools use, as pure checks answering Discord's nested 50035 tree:
// Modify Channel (name, slowmode), Edit Channel Permissions (an overwrite), Bulk Guild Ban, Modify
// Guild Incident Actions and List Guild Members' query. Limits are openapi.json's; see validation.ts
// for the shared vocabulary.
import type { FormErrors } from './errors.ts';
import {
  checkInteger,
  fieldError,
  isEmpty,
  isRecord,
  isSnowflake,
  notArray,
  notObject,
  notString,
  required,
  setError,
} from './validation.ts';

export const raidLimits = {
  channelName: 100,
  /** rate_limit_per_user: 0..21600 s (6 h). */
  slowmodeSeconds: 21_600,
  bulkBanUsers: 200,
  bulkBanDeleteSeconds: 604_800,
  /** Incident actions: "at most 24 hours in the future". */
  incidentMs: 24 * 60 * 60 * 1000,
  membersPage: 1000,
} as const;

type Checked<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };
const done = <T>(tree: FormErrors, value: T): Checked<T> =>
  isEmpty(tree) ? { ok: true, value } : { ok: false, errors: tree };

export interface ChannelPatch {
  name?: string;
  rate_limit_per_user?: number;
}

/** Modify Channel's fields the stand-in carries out (name, rate_limit_per_user); others are ignored. */
export function checkChannelPatch(body: unknown): Checked<ChannelPatch> {
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  const tree: FormErrors = {};
  const patch: ChannelPatch = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string') setError(tree, ['name'], notString());
    else if (body.name.length < 1 || [...body.name].length > raidLimits.channelName) {
      setError(
        tree,
        ['name'],
        fieldError('BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${raidLimits.channelName} in length.`),
      );
    } else patch.name = body.name;
  }
  const slowmode = body.rate_limit_per_user;
  checkInteger(tree, ['rate_limit_per_user'], slowmode, 0, raidLimits.slowmodeSeconds);
  // null resets slowmode, as Discord takes it.
  if (slowmode === null) patch.rate_limit_per_user = 0;
  else if (typeof slowmode === 'number') patch.rate_limit_per_user = slowmode;
  return done(tree, patch);
}

export interface OverwriteBody {
  /** Absent: the existing overwrite's type (a new overwrite needs one). */
  type: 0 | 1 | null;
  allow: bigint;
  deny: bigint;
}

/** A permission bit set: Discord accepts an integer or its decimal string; null or absent is 0. */
function permissionBits(tree: FormErrors, field: string, value: unknown): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  setError(tree, [field], fieldError('NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`));
  return 0n;
}

/** Edit Channel Permissions: {type 0 role | 1 member, allow?, deny?}. */
export function checkOverwriteBody(body: unknown): Checked<OverwriteBody> {
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  const tree: FormErrors = {};
  let type: 0 | 1 | null = null;
  if (body.type === 0 || body.type === 1) type = body.type;
  else if (body.type !== undefined && body.type !== null) {
    setError(tree, ['type'], fieldError('BASE_TYPE_CHOICES', 'Value must be one of {0, 1}.'));
  }
  const allow = permissionBits(tree, 'allow', body.allow);
  const deny = permissionBits(tree, 'deny', body.deny);
  return done(tree, { type, allow, deny });
}

export interface BulkBanBody {
  /** Without repeats, in the order given. */
  userIds: string[];
  deleteMessageSeconds: number;
}

/** Bulk Guild Ban: user_ids (required, at most 200 snowflakes), delete_message_seconds 0..604800. */
export function checkBulkBanBody(body: unknown): Checked<BulkBanBody> {
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  const tree: FormErrors = {};
  const ids = body.user_ids;
  const userIds: string[] = [];
  if (ids === undefined || ids === null) setError(tree, ['user_ids'], required());
  else if (!Array.isArray(ids)) setError(tree, ['user_ids'], notArray());
  else if (ids.length > raidLimits.bulkBanUsers) {
    setError(
      tree,
      ['user_ids'],
      fieldError('BASE_TYPE_MAX_LENGTH', `Must be ${raidLimits.bulkBanUsers} or fewer in length.`),
    );
  } else {
    ids.forEach((id: unknown, index) => {
      const text = typeof id === 'number' ? String(id) : id;
      if (typeof text !== 'string' || !isSnowflake(text)) {
        setError(
          tree,
          ['user_ids', index],
          fieldError('NUMBER_TYPE_COERCE', `Value "${String(id)}" is not snowflake.`),
        );
      } else if (!userIds.includes(text)) userIds.push(text);
    });
  }
  const seconds = body.delete_message_seconds;
  checkInteger(tree, ['delete_message_seconds'], seconds, 0, raidLimits.bulkBanDeleteSeconds);
  return done(tree, { userIds, deleteMessageSeconds: typeof seconds === 'number' ? seconds : 0 });
}

export interface IncidentActionsBody {
  invitesDisabledUntil: Date | null;
  dmsDisabledUntil: Date | null;
}

/**
 * Modify Guild Incident Actions: each field an ISO timestamp at most 24 h ahead, or null (or absent:
 * the request replaces both, so a field left out ends that action). A time already past is taken,
 * and simply means the action is not in force. Discord does not document the error for a time too
 * far ahead; this answers 50035 on the field, as it does for a timeout past 28 days.
 */
export function checkIncidentActions(body: unknown, nowMs: number): Checked<IncidentActionsBody> {
  if (!isRecord(body)) return { ok: false, errors: { _errors: notObject() } };
  const tree: FormErrors = {};
  const read = (field: 'invites_disabled_until' | 'dms_disabled_until'): Date | null => {
    const value = body[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      setError(
        tree,
        [field],
        fieldError('DATE_TIME_TYPE_PARSE', `Could not parse ${String(value)}. Should be ISO8601.`),
      );
      return null;
    }
    const at = new Date(value);
    if (at.getTime() - nowMs > raidLimits.incidentMs) {
      setError(
        tree,
        [field],
        fieldError('BASE_TYPE_BAD_DATETIME', 'Timestamp must be at most 24 hours in the future.'),
      );
    }
    return at;
  };
  const invitesDisabledUntil = read('invites_disabled_until');
  const dmsDisabledUntil = read('dms_disabled_until');
  return done(tree, { invitesDisabledUntil, dmsDisabledUntil });
}

/** List Guild Members' query: limit 1..1000 (default 1), after a user id (default 0). */
export function checkMembersQuery(query: URLSearchParams): Checked<{ limit: number; after: bigint }> {
  const tree: FormErrors = {};
  const raw = query.get('limit');
  const limit = raw === null ? 1 : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  checkInteger(tree, ['limit'], limit, 1, raidLimits.membersPage);
  const afterRaw = query.get('after') ?? '0';
  let after = 0n;
  if (isSnowflake(afterRaw)) after = BigInt(afterRaw);
  else setError(tree, ['after'], fieldError('NUMBER_TYPE_COERCE', `Value "${afterRaw}" is not snowflake.`));
  return done(tree, { limit: typeof limit === 'number' ? limit : 1, after });
}
