// The events the relay's integration tests feed it, as the edge makes them: case and audit events,
// their XADD + PUBLISH, their outbox rows and case rows. The world they go into: relay-harness.ts.
import { randomUUID } from 'node:crypto';
import { cases } from '../../db/schema.ts';
import { writeOutboxRows } from '../../dev/outbox-rows.ts';
import { eventActions } from '../../shared/actions.ts';
import {
  type AuditEventData,
  type CaseEventData,
  type CaseEventType,
  EVENT_STREAM_FIELD,
  encodeEvent,
  type LockdownEvent,
} from '../../shared/events.ts';
import { type RelayWorld, snowflake, type TestGuild } from './relay-harness.ts';

/** An event about a case (the relay's cases carry their case's id, number and member). */
export type CaseEvent = Extract<LockdownEvent, { data: CaseEventData }>;

export function caseEvent(
  guild: TestGuild,
  eventType: CaseEventType,
  data: Partial<CaseEventData> = {},
): CaseEvent {
  return {
    eventId: randomUUID(),
    eventType,
    timestamp: new Date().toISOString(),
    data: {
      id: randomUUID(),
      caseNumber: 1,
      guildId: guild.guildId,
      userId: snowflake(),
      moderatorId: guild.moderatorId,
      reason: 'breaking rule 1',
      expiresAt: null,
      ...data,
    },
  };
}

export function auditEvent(
  guild: TestGuild,
  data: Partial<AuditEventData> & Pick<AuditEventData, 'action'>,
): LockdownEvent {
  return {
    eventId: randomUUID(),
    eventType: 'audit:logged',
    timestamp: new Date().toISOString(),
    data: {
      id: null,
      caseNumber: null,
      guildId: guild.guildId,
      userId: null,
      moderatorId: guild.moderatorId,
      reason: null,
      expiresAt: null,
      ...data,
    },
  };
}

/** XADD + PUBLISH in one MULTI, as the edge does; returns the entry id. */
export async function publish(
  world: RelayWorld,
  streamKey: string,
  event: LockdownEvent | string,
): Promise<string> {
  const json = typeof event === 'string' ? event : encodeEvent(event);
  const result = await world.redis
    .multi()
    .xadd(streamKey, '*', EVENT_STREAM_FIELD, json)
    .publish(typeof event === 'string' ? 'test:garbage' : event.eventType, json)
    .exec();
  return result?.[0]?.[1] as string;
}

/** Many events at once (one MULTI), in order. */
export async function publishAll(
  world: RelayWorld,
  streamKey: string,
  events: LockdownEvent[],
): Promise<string[]> {
  // One MULTI, as the edge publishes (events/publish.ts): a relay blocked on XREADGROUP sees the
  // whole burst at once. A plain pipeline could wake it after the first XADD, under load.
  const multi = world.redis.multi();
  for (const event of events) multi.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
  const results = (await multi.exec()) ?? [];
  return results.map((r) => r[1] as string);
}

export async function insertCase(world: RelayWorld, event: CaseEvent) {
  await world.db.insert(cases).values({
    id: event.data.id,
    guildId: event.data.guildId,
    caseNumber: event.data.caseNumber,
    action: eventActions[event.eventType],
    userId: event.data.userId,
    moderatorId: event.data.moderatorId,
    reason: event.data.reason,
    createdAt: new Date(event.timestamp),
    expiresAt: event.data.expiresAt ? new Date(event.data.expiresAt) : null,
  });
}

export async function deleteStream(world: RelayWorld, streamKey: string) {
  await world.redis.del(streamKey);
}

/** A guild's warnings numbered `from`, `from + 1`…, as the edge numbers them (envelope `sequence`). */
export function numberedWarnings(guild: TestGuild, from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    // Each its own reason: identical warnings in a row would fold into one digest line each.
    ...caseEvent(guild, 'warning:added', { caseNumber: from + i, reason: `warning ${from + i}` }),
    sequence: from + i,
  }));
}

/** Writes events' outbox rows as the edge does (`published`: whether their XADD went through). */
export function writeOutbox(world: RelayWorld, events: LockdownEvent[], published: boolean) {
  return writeOutboxRows(world.db, events, published);
}
