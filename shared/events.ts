// The event contract between the edge and every consumer (see docs/ARCHITECTURE.md): the envelope, the event
// types (which double as pub/sub channel names), the Redis keys, and a tolerant decoder.
// Consumers must accept unknown extra fields, so decoding checks what it needs and keeps the rest.
// The case event types come from the action table (actions.ts); `audit:logged` and the lockdown
// events are the others.
import { type CaseEventType, type CaseSource, caseEventTypes } from './actions.ts';
import type { MessageEvidence } from './evidence.ts';

export type { CaseEventType } from './actions.ts';
export const lockdownEventTypes = ['lockdown:applied', 'lockdown:lifted'] as const;
export type LockdownEventType = (typeof lockdownEventTypes)[number];
export type EventType = CaseEventType | 'audit:logged' | LockdownEventType;
export const eventTypes: readonly EventType[] = [...caseEventTypes, 'audit:logged', ...lockdownEventTypes];

/** The stream the relay consumes, and its consumer group. */
export const EVENT_STREAM_KEY = 'lockdown:events';
export const RELAY_CONSUMER_GROUP = 'relay';
/** The stream entry field holding the JSON envelope. */
export const EVENT_STREAM_FIELD = 'event';

/** A moderation case as carried in events. */
export interface CaseEventData {
  id: string;
  caseNumber: number;
  guildId: string;
  userId: string;
  moderatorId: string;
  reason: string | null;
  expiresAt: string | null;
  /** Extra, optional: whether the member was told by DM. */
  dmDelivered?: boolean | null;
  /** Extra, optional: the /massban this case belongs to (its cases share it, numbered consecutively). */
  batchId?: string;
  /** Extra, optional: where the case came from; absent means `command` (events written before it). */
  source?: CaseSource;
  /** Extra, optional: the AutoMod rule that acted, for AutoMod's cases. */
  automodRule?: string | null;
  /** Extra, optional: the message the case was given for (message context-menu commands). */
  evidence?: MessageEvidence | null;
  [extra: string]: unknown;
}

/** Kinds of `audit:logged` events. */
export const auditActions = [
  'modlog.set',
  'modlog.removed',
  'case.reason_edited',
  'case.deleted',
  'case.duration_changed',
  'schedule.failed',
  'slowmode.set',
  'slowmode.expired',
  'raidmode.enabled',
  'raidmode.disabled',
  'auditlog.missing_permission',
  'discord.incident',
  'messages.purged',
  'reasons.saved',
  'reasons.removed',
  'escalation.added',
  'escalation.removed',
  'escalation.refused',
  'appeal.created',
  'appeal.accepted',
  'appeal.denied',
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * Configuration and case-management changes. `id`/`caseNumber` name the case concerned, if any;
 * `userId` is the member concerned, or the moderator when the change concerns no member.
 */
export interface AuditEventData {
  id: string | null;
  caseNumber: number | null;
  guildId: string;
  userId: string | null;
  moderatorId: string;
  reason: string | null;
  expiresAt: null;
  action: AuditAction;
  /** Human-readable detail (`#mod-logs` channel id, the old reason…). Never a secret. */
  details?: Record<string, string | number | boolean | null>;
  [extra: string]: unknown;
}

/**
 * A lockdown applied or lifted. `id` is the lockdown's; `channelIds` the channels it changed in this
 * step (a server lockdown locks in batches and is announced once, when every channel is done);
 * `failed` the channels Discord refused, with a plain reason. `endState` on `lockdown:lifted` says
 * whether a moderator lifted it or its time ran out.
 */
export interface LockdownEventData {
  id: string;
  guildId: string;
  moderatorId: string;
  reason: string | null;
  expiresAt: string | null;
  scope: 'channel' | 'server';
  channelIds: string[];
  failed: { channelId: string; why: string }[];
  endState?: 'lifted' | 'expired';
  [extra: string]: unknown;
}

/**
 * Fields every envelope has. `sequence` (optional; absent from events written before it existed) is
 * the event's place among its guild's events: 1, 2, 3…, gap-free, given in the transaction that wrote
 * the event, the same number as the outbox row's `sequence`. A consumer keeping a guild's order posts
 * N+1 only after N, and may read a late N from the outbox by (guild_id, sequence).
 */
interface EnvelopeFields {
  eventId: string;
  timestamp: string;
  sequence?: number;
}

export type LockdownEvent =
  | (EnvelopeFields & { eventType: CaseEventType; data: CaseEventData })
  | (EnvelopeFields & { eventType: 'audit:logged'; data: AuditEventData })
  | (EnvelopeFields & { eventType: 'lockdown:applied'; data: LockdownEventData })
  | (EnvelopeFields & { eventType: 'lockdown:lifted'; data: LockdownEventData });

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (eventTypes as readonly string[]).includes(value);
}

export function encodeEvent(event: LockdownEvent): string {
  return JSON.stringify(event);
}

export type DecodeResult = { ok: true; event: LockdownEvent } | { ok: false; error: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Parses and checks an envelope. Unknown event types and missing fields are errors, extra fields are kept. */
export function decodeEvent(raw: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, error: 'not an object' };
  const envelope = parsed as Record<string, unknown>;
  if (!isString(envelope.eventId)) return { ok: false, error: 'eventId missing' };
  if (!isEventType(envelope.eventType))
    return { ok: false, error: `unknown eventType ${String(envelope.eventType)}` };
  if (!isString(envelope.timestamp) || Number.isNaN(Date.parse(envelope.timestamp))) {
    return { ok: false, error: 'timestamp missing or invalid' };
  }
  const data = envelope.data as Record<string, unknown> | null | undefined;
  if (typeof data !== 'object' || data === null) return { ok: false, error: 'data missing' };
  if (!isString(data.guildId)) return { ok: false, error: 'data.guildId missing' };
  if (!isString(data.moderatorId)) return { ok: false, error: 'data.moderatorId missing' };
  if (!isNullableString(data.reason ?? null)) return { ok: false, error: 'data.reason invalid' };
  if (envelope.eventType === 'audit:logged') {
    if (!isString(data.action)) return { ok: false, error: 'data.action missing' };
  } else if (envelope.eventType === 'lockdown:applied' || envelope.eventType === 'lockdown:lifted') {
    if (!isString(data.id)) return { ok: false, error: 'data.id missing' };
    if (data.scope !== 'channel' && data.scope !== 'server')
      return { ok: false, error: 'data.scope invalid' };
    if (!Array.isArray(data.channelIds) || !data.channelIds.every(isString)) {
      return { ok: false, error: 'data.channelIds invalid' };
    }
    if (!Array.isArray(data.failed)) return { ok: false, error: 'data.failed invalid' };
  } else {
    if (!isString(data.id)) return { ok: false, error: 'data.id missing' };
    if (typeof data.caseNumber !== 'number') return { ok: false, error: 'data.caseNumber missing' };
    if (!isString(data.userId)) return { ok: false, error: 'data.userId missing' };
    if (!isNullableString(data.expiresAt ?? null)) return { ok: false, error: 'data.expiresAt invalid' };
  }
  return { ok: true, event: parsed as LockdownEvent };
}
