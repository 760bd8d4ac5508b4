// Get Guild Audit Log's query and page, as pure functions: the query check (Discord's 50035 tree),
// which entries a query selects and in which order, and the users the page references.
//
// Order, as discord-api-docs (docs/resources/audit-log.mdx, "Get Guild Audit Log") states it: with
// `before`, or with neither cursor, newest first (descending id); "if `after` is used, the list is
// reversed and appears in ascending order (older entries first)": the `limit` entries just after the
// cursor, oldest first, so paging forward is `after=<last id of the page>`. (The same page's Audit
// Log Object table says entries are "sorted from most to least recent", and community reports
// differ; the route's own text is the specific one, so the stand-in follows it. A client that must
// not care sorts by id itself.) With both cursors the window between them is given, ascending as
// with `after`.
import type { APIAuditLogEntry } from 'discord-api-types/v10';
import { AuditLogEvent } from 'discord-api-types/v10';
import type { FormErrors } from './errors.ts';
import { checkInteger, fieldError, isEmpty, isSnowflake, setError } from './validation.ts';

export interface AuditLogQuery {
  userId: string | null;
  targetId: string | null;
  actionType: number | null;
  before: bigint | null;
  after: bigint | null;
  limit: number;
}

export const AUDIT_LOG_PAGE = { default: 50, max: 100 } as const;

const KNOWN_ACTIONS = new Set<number>(
  Object.values(AuditLogEvent).filter((v): v is number => typeof v === 'number'),
);

type Checked<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

/** openapi.json's list_guild_audit_log_entries parameters: user_id, target_id, action_type, before, after, limit 1–100. */
export function checkAuditLogQuery(query: URLSearchParams): Checked<AuditLogQuery> {
  const tree: FormErrors = {};
  const snowflake = (name: string): string | null => {
    const raw = query.get(name);
    if (raw === null) return null;
    if (isSnowflake(raw)) return raw;
    setError(tree, [name], fieldError('NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`));
    return null;
  };
  const integer = (name: string): number | string | null => {
    const raw = query.get(name);
    return raw === null ? null : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  };

  const userId = snowflake('user_id');
  const targetId = snowflake('target_id');
  const before = snowflake('before');
  const after = snowflake('after');
  const limit = integer('limit') ?? AUDIT_LOG_PAGE.default;
  checkInteger(tree, ['limit'], limit, 1, AUDIT_LOG_PAGE.max);
  const action = integer('action_type');
  if (typeof action === 'string') {
    setError(tree, ['action_type'], fieldError('NUMBER_TYPE_COERCE', `Value "${action}" is not int.`));
  } else if (action !== null && !KNOWN_ACTIONS.has(action)) {
    setError(
      tree,
      ['action_type'],
      fieldError('ENUM_TYPE_COERCE', `Value "${action}" is not a valid enum value.`),
    );
  }
  if (!isEmpty(tree)) return { ok: false, errors: tree };
  return {
    ok: true,
    value: {
      userId,
      targetId,
      actionType: typeof action === 'number' ? action : null,
      before: before === null ? null : BigInt(before),
      after: after === null ? null : BigInt(after),
      limit: typeof limit === 'number' ? limit : AUDIT_LOG_PAGE.default,
    },
  };
}

/** The page a query selects from `entries` (oldest first), in the order Discord answers it. */
export function selectEntries(
  entries: readonly APIAuditLogEntry[],
  query: AuditLogQuery,
): APIAuditLogEntry[] {
  const matching = entries.filter((entry) => {
    const id = BigInt(entry.id);
    return (
      (query.userId === null || entry.user_id === query.userId) &&
      (query.targetId === null || entry.target_id === query.targetId) &&
      (query.actionType === null || entry.action_type === query.actionType) &&
      (query.before === null || id < query.before) &&
      (query.after === null || id > query.after)
    );
  });
  if (query.after !== null) return matching.slice(0, query.limit);
  return matching.slice(-query.limit).reverse();
}

/** Action types whose target is a user (so the target is among the page's `users`). */
const USER_TARGETS = new Set<number>([
  AuditLogEvent.MemberKick,
  AuditLogEvent.MemberBanAdd,
  AuditLogEvent.MemberBanRemove,
  AuditLogEvent.MemberUpdate,
  AuditLogEvent.MemberRoleUpdate,
  AuditLogEvent.MessageDelete,
  AuditLogEvent.AutoModerationBlockMessage,
  AuditLogEvent.AutoModerationFlagToChannel,
  AuditLogEvent.AutoModerationUserCommunicationDisabled,
]);

/** Every user a page names, as actor or as target, once each, in order of first mention. */
export function referencedUserIds(entries: readonly APIAuditLogEntry[]): string[] {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.user_id) ids.add(entry.user_id);
    if (entry.target_id && USER_TARGETS.has(entry.action_type)) ids.add(entry.target_id);
  }
  return [...ids];
}

/** Webhook ids a page names (WEBHOOK_* entries target their webhook). */
export function referencedWebhookIds(entries: readonly APIAuditLogEntry[]): string[] {
  const webhookActions = new Set<number>([
    AuditLogEvent.WebhookCreate,
    AuditLogEvent.WebhookUpdate,
    AuditLogEvent.WebhookDelete,
  ]);
  return [
    ...new Set(
      entries.filter((e) => e.target_id && webhookActions.has(e.action_type)).map((e) => e.target_id!),
    ),
  ];
}
