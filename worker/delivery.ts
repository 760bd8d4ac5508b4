// One guild's lane: its events in stream order, sent one message at a time so order is kept, while
// lanes of different guilds run side by side. A lane packs whatever queued up while its previous
// message was in flight (batching.ts), skips events already posted (modlog_deliveries), parks events
// while the guild's webhook is invalid and replays them, oldest first, when `/modlog set` gives it a
// new one, and edits a case's message in place when its reason is edited.
import type { APIEmbed } from 'discord-api-types/v10';
import type { NodeDatabase } from '../db/node.ts';
import type { DeadLetterReason } from '../db/schema.ts';
import { caseLogEmbed, embedLength, embedLimits, eventEmbed, fitEmbed } from '../shared/embeds.ts';
import type { LockdownEvent } from '../shared/events.ts';
import { messageLimits, planBatch } from './batching.ts';
import { addDeadLetter, markReplayed, parkedEvents } from './dead-letters.ts';
import type { Logger } from './log.ts';
import type { RelayMetrics } from './metrics.ts';
import type { ModlogCache } from './modlog-cache.ts';
import { retryDelay } from './rate-limits.ts';
import type { ModlogTarget, RelayStore } from './store.ts';
import { compareStreamIds, decodeEntry, insertSorted, streamIdTime } from './stream.ts';
import { sleep } from './time.ts';
import type { AttemptInfo, RetryPolicy, WebhookClient, WebhookOutcome } from './webhook-client.ts';

/** An event on its way to the mod-log. */
export interface WorkItem {
  /** The stream entry (for a replay: the entry it was parked from). */
  entryId: string;
  raw: string;
  event: LockdownEvent;
  /** Set when this is a parked event being replayed: its `dead_letters` row. */
  deadLetterId?: string;
  /** Discord refused the message this event was in: it now travels alone. */
  solo?: boolean;
  /** A mod-log change whose cache refresh (and replay) already ran. */
  configApplied?: boolean;
  rendered?: { embed: APIEmbed; size: number } | { error: string };
  /** Acked, dead-lettered or marked replayed: nothing more to do. */
  done?: boolean;
}

/** What a lane needs from the relay that runs it. */
export interface LaneContext {
  db: NodeDatabase;
  store: RelayStore;
  discord: WebhookClient;
  cache: ModlogCache;
  metrics: RelayMetrics;
  logger: Logger;
  retry: RetryPolicy;
  batching: boolean;
  /** Aborts waits when the relay stops. */
  stopSignal: AbortSignal;
  /** Aborts everything, acks and database retries included, when the relay is killed or out of time. */
  killSignal: AbortSignal;
  /**
   * Waits until no other relay holds an entry of this guild older than `entryId`. Then returns the
   * oldest entry of the guild they hold (`fence`) and the newest entry this relay had been handed
   * when it looked (`horizon`): the batch may only hold entries before the fence and up to the
   * horizon. Null when stopping.
   */
  waitTurn(guildId: string, entryId: string): Promise<{ fence: string | null; horizon: string } | null>;
  /** XACKs stream entries (after the hooks); throws once killed. */
  ack(entryIds: string[]): Promise<void>;
  onAttempt(info: AttemptInfo): void;
  onWait(reason: string, ms: number): void;
}

export class Killed extends Error {
  constructor() {
    super('relay killed');
  }
}

const isModlogChange = (event: LockdownEvent) =>
  event.eventType === 'audit:logged' &&
  (event.data.action === 'modlog.set' || event.data.action === 'modlog.removed');

const isReasonEdit = (event: LockdownEvent) =>
  event.eventType === 'audit:logged' && event.data.action === 'case.reason_edited';

function render(item: WorkItem): NonNullable<WorkItem['rendered']> {
  if (!item.rendered) {
    try {
      const embed = eventEmbed(item.event);
      item.rendered = { embed, size: embedLength(embed) };
    } catch (error) {
      item.rendered = { error: `cannot render: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return item.rendered;
}

const caseIdOf = (event: LockdownEvent) => (event.eventType === 'audit:logged' ? null : event.data.id);

export class GuildLane {
  readonly guildId: string;
  readonly queue: WorkItem[] = [];
  readonly #ctx: LaneContext;
  readonly #onIdle: (lane: GuildLane) => void;
  #running: Promise<void> | null = null;

  constructor(guildId: string, ctx: LaneContext, onIdle: (lane: GuildLane) => void) {
    this.guildId = guildId;
    this.#ctx = ctx;
    this.#onIdle = onIdle;
  }

  push(item: WorkItem): void {
    insertSorted(this.queue, item);
    this.#kick();
  }

  #kick(): void {
    if (this.#running) return;
    // Start on a microtask, so a read's other entries are queued before the lane looks.
    this.#running = Promise.resolve()
      .then(() => this.#run())
      .finally(() => {
        this.#running = null;
        // An entry pushed while the loop was winding down must not wait for the next push.
        if (this.queue.length > 0 && !this.#ctx.stopSignal.aborted) this.#kick();
        else this.#onIdle(this);
      });
  }

  /** Resolves when the lane has nothing in flight. */
  whenIdle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  get busy(): boolean {
    return this.#running !== null;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0 && !this.#ctx.stopSignal.aborted) {
      try {
        if (!(await this.#step(this.queue, false))) return;
        failures = 0;
      } catch (error) {
        if (error instanceof Killed || this.#ctx.killSignal.aborted) return;
        failures++;
        this.#ctx.metrics.errors.inc({ where: 'lane' });
        this.#ctx.logger.error('lane error, retrying', { guildId: this.guildId, error, failures });
        if (!(await sleep(retryDelay(failures, 250, 10_000), this.#ctx.stopSignal))) return;
      }
    }
  }

  /** Handles the next message's worth of `queue`; false when the relay is stopping. */
  async #step(queue: WorkItem[], replay: boolean): Promise<boolean> {
    const ctx = this.#ctx;
    const head = queue[0] as WorkItem;
    let fence: string | null = null;
    let horizon: string | null = null;
    if (!replay) {
      const turn = await ctx.waitTurn(this.guildId, head.entryId);
      if (!turn) return false;
      if (queue[0] !== head) return true; // an older entry (claimed from a dead relay) came first
      fence = turn.fence;
      horizon = turn.horizon;
    }
    const beyond = (item: WorkItem) =>
      (fence !== null && compareStreamIds(item.entryId, fence) > 0) ||
      (horizon !== null && compareStreamIds(item.entryId, horizon) > 0);
    if (!replay && isModlogChange(head.event) && !head.configApplied) {
      ctx.cache.invalidate(this.guildId);
      if (head.event.eventType === 'audit:logged' && head.event.data.action === 'modlog.set') {
        if (!(await this.#replayParked())) return false;
      }
      head.configApplied = true;
    }
    const target = await ctx.cache.get(this.guildId);
    const usable = target !== null && target.broken === null;
    const plan = planBatch(queue, {
      maxItems: usable ? (ctx.batching ? messageLimits.maxEmbeds : 1) : 100,
      maxChars: usable ? messageLimits.maxChars : Number.POSITIVE_INFINITY,
      size: (item) => {
        const r = render(item);
        return 'size' in r ? r.size : 0;
      },
      isBarrier: (item) => (!replay && isModlogChange(item.event)) || beyond(item),
      isSolo: (item) => item.solo === true,
      key: (item) => item.event.eventId,
    });
    const batch = queue.splice(0, plan.take);
    try {
      if (!target) {
        await this.#finish(batch, 'skipped');
        return true;
      }
      if (target.broken) {
        const since = target.broken.at.toISOString();
        await this.#park(
          batch,
          `mod-log webhook marked broken since ${since}: ${target.broken.reason ?? 'invalid'}`,
        );
        return true;
      }
      const primaries = plan.send.map((i) => batch[i] as WorkItem);
      return await this.#deliver(batch, primaries, target, queue);
    } catch (error) {
      for (const item of batch) if (!item.done) insertSorted(queue, item);
      throw error;
    }
  }

  async #deliver(
    batch: WorkItem[],
    primaries: WorkItem[],
    target: ModlogTarget,
    queue: WorkItem[],
  ): Promise<boolean> {
    const ctx = this.#ctx;
    const ofEvents = (ids: Set<string>) => batch.filter((i) => ids.has(i.event.eventId));
    const posted = await ctx.store.deliveredEventIds(primaries.map((p) => p.event.eventId));
    let toSend = primaries.filter((p) => !posted.has(p.event.eventId));
    const unrenderable = toSend.filter((p) => 'error' in render(p));
    if (unrenderable.length) {
      for (const item of unrenderable) {
        const r = render(item);
        await this.#deadLetter(
          ofEvents(new Set([item.event.eventId])),
          'bad_payload',
          'error' in r ? r.error : null,
        );
      }
      toSend = toSend.filter((p) => !unrenderable.includes(p));
    }

    const sentIds = new Set<string>();
    if (toSend.length > 0) {
      const embeds = toSend.map((p) => (render(p) as { embed: APIEmbed }).embed);
      ctx.logger.debug('sending', {
        guildId: this.guildId,
        webhookId: target.webhook.id,
        entries: toSend.map((p) => p.entryId),
      });
      const outcome = await ctx.discord.execute(
        target.webhook,
        { embeds, allowed_mentions: { parse: [] } },
        { retry: ctx.retry, signal: ctx.stopSignal, onAttempt: ctx.onAttempt, onWait: ctx.onWait },
      );
      if (ctx.killSignal.aborted) throw new Killed();
      const ids = new Set(toSend.map((p) => p.event.eventId));
      switch (outcome.kind) {
        case 'stopped':
          return false; // nothing was sent: the entries stay pending for the next relay
        case 'ok': {
          await this.#persist(() =>
            ctx.store.recordDelivery({
              guildId: this.guildId,
              webhookId: target.webhook.id,
              messageId: outcome.messageId,
              events: toSend.map((p) => ({ eventId: p.event.eventId, caseId: caseIdOf(p.event) })),
              embeds,
            }),
          );
          ctx.metrics.messages.inc();
          const now = Date.now();
          for (const p of toSend)
            if (!p.deadLetterId) ctx.metrics.latency.observe((now - streamIdTime(p.entryId)) / 1000);
          for (const id of ids) sentIds.add(id);
          break;
        }
        case 'invalid_webhook': {
          const current = await this.#webhookInvalid(target, outcome);
          if (current === null) {
            await this.#finish(ofEvents(ids), 'skipped'); // the mod-log was turned off meanwhile
          } else if (current.webhook.id !== target.webhook.id && !current.broken) {
            // `/modlog set` gave the guild a new webhook (handled by another relay): use it.
            for (const item of ofEvents(ids)) insertSorted(queue, item);
          } else {
            await this.#park(ofEvents(ids), outcome.detail);
          }
          break;
        }
        case 'bad_request':
          if (toSend.length > 1) {
            // Discord does not say which embed it refused: send each alone, in order.
            ctx.logger.warn('batch refused, sending its events one by one', {
              guildId: this.guildId,
              detail: outcome.detail,
            });
            for (const item of ofEvents(ids)) {
              item.solo = true;
              insertSorted(queue, item);
            }
          } else {
            await this.#deadLetter(ofEvents(ids), 'bad_payload', outcome.detail);
          }
          break;
        case 'gave_up':
          ctx.logger.error('giving up on a message', { guildId: this.guildId, detail: outcome.detail });
          await this.#deadLetter(
            ofEvents(ids),
            'retries_exhausted',
            `${outcome.detail} (after ${outcome.attempts} attempts)`,
          );
          break;
        default:
          // unknown_message cannot answer an execute; treat it as a refusal of this payload.
          await this.#deadLetter(ofEvents(ids), 'bad_payload', outcome.detail);
      }
    }

    // A reason edit updates the case's message once the audit line itself is posted (now or before).
    const postedNow = (item: WorkItem) => posted.has(item.event.eventId) || sentIds.has(item.event.eventId);
    const seen = new Set<string>();
    for (const item of batch) {
      if (item.done || !postedNow(item) || !isReasonEdit(item.event) || seen.has(item.event.eventId))
        continue;
      seen.add(item.event.eventId);
      const current = await ctx.cache.get(this.guildId);
      if (current && !current.broken) await this.#editCase(item, current);
    }

    const firstOfEach = new Set<WorkItem>();
    const firstSeen = new Set<string>();
    for (const item of batch) {
      if (sentIds.has(item.event.eventId) && !firstSeen.has(item.event.eventId)) {
        firstSeen.add(item.event.eventId);
        firstOfEach.add(item);
      }
    }
    await this.#finish(
      batch.filter((i) => !i.done && firstOfEach.has(i)),
      'delivered',
    );
    await this.#finish(
      batch.filter((i) => !i.done && postedNow(i)),
      'duplicate',
    );
    return true;
  }

  /** Edits the message that shows the case, re-rendered from its `cases` row. */
  async #editCase(item: WorkItem, target: ModlogTarget): Promise<void> {
    const ctx = this.#ctx;
    const caseId = item.event.data.id;
    const result = (r: string) => ctx.metrics.edits.inc({ result: r });
    if (typeof caseId !== 'string') return result('no_case');
    const row = await ctx.store.caseRow(this.guildId, caseId);
    if (!row?.modlogMessageId) return result('not_posted');
    if (row.modlogWebhookId !== target.webhook.id) return result('other_webhook');
    const message = await ctx.store.message(row.modlogMessageId);
    const positions = message ? message.caseIds.flatMap((id, i) => (id === caseId ? [i] : [])) : [];
    if (!message || positions.length === 0) return result('unknown_layout');
    const others = message.embeds.reduce((n, e, i) => (positions.includes(i) ? n : n + embedLength(e)), 0);
    const fresh = fitEmbed(
      caseLogEmbed({
        caseId: row.id,
        caseNumber: row.caseNumber,
        action: row.action,
        userId: row.userId,
        moderatorId: row.moderatorId,
        reason: row.reason,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
        dmDelivered: row.dmDelivered,
      }),
      Math.max(1, Math.floor((embedLimits.total - others) / positions.length)),
    );
    const embeds = message.embeds.map((e, i) => (positions.includes(i) ? fresh : e));
    const outcome = await ctx.discord.editMessage(
      target.webhook,
      row.modlogMessageId,
      { embeds, allowed_mentions: { parse: [] } },
      { retry: ctx.retry, signal: ctx.stopSignal, onAttempt: ctx.onAttempt, onWait: ctx.onWait },
    );
    if (ctx.killSignal.aborted) throw new Killed();
    switch (outcome.kind) {
      case 'ok':
        await this.#persist(() => ctx.store.saveEditedMessage(row.modlogMessageId as string, embeds));
        return result('edited');
      case 'unknown_message':
        return result('message_deleted');
      case 'invalid_webhook':
        await this.#webhookInvalid(target, outcome);
        return result('webhook_invalid');
      case 'stopped':
        return result('stopped');
      default:
        ctx.logger.warn('could not edit a case message', {
          guildId: this.guildId,
          caseId,
          detail: outcome.detail,
        });
        return result('failed');
    }
  }

  /**
   * Discord refused the webhook: marks the guild's mod-log broken if it still uses that webhook, and
   * returns the guild's mod-log as Postgres has it now (a `/modlog set` may have replaced it).
   */
  async #webhookInvalid(
    target: ModlogTarget,
    outcome: Extract<WebhookOutcome, { kind: 'invalid_webhook' }>,
  ): Promise<ModlogTarget | null> {
    const ctx = this.#ctx;
    const reason = `webhook_invalid: ${outcome.detail}`;
    const marked = await this.#persist(() => ctx.store.markBroken(this.guildId, target.webhook.id, reason));
    ctx.cache.invalidate(this.guildId);
    const current = await ctx.cache.get(this.guildId);
    ctx.logger.warn(
      current?.webhook.id === target.webhook.id
        ? 'mod-log webhook invalid: parking the guild until /modlog set'
        : 'mod-log webhook invalid, but the guild has another mod-log now',
      { guildId: this.guildId, webhookId: target.webhook.id, detail: outcome.detail, marked },
    );
    return current;
  }

  /** Replays the guild's parked events, oldest first, before anything newer; false when stopping. */
  async #replayParked(): Promise<boolean> {
    const ctx = this.#ctx;
    const rows = await parkedEvents(ctx.db, this.guildId);
    if (rows.length === 0) return true;
    const items: WorkItem[] = [];
    for (const row of rows) {
      const decoded = decodeEntry({ id: row.streamEntryId, fields: ['event', row.raw] });
      if (decoded.ok)
        items.push({ entryId: row.streamEntryId, raw: row.raw, event: decoded.event, deadLetterId: row.id });
    }
    ctx.logger.info('replaying parked events', { guildId: this.guildId, count: items.length });
    while (items.length > 0) {
      if (ctx.stopSignal.aborted) return false;
      if (!(await this.#step(items, true))) return false;
      const target = await ctx.cache.get(this.guildId);
      if (!target || target.broken) break; // still unusable: the rest stays parked
    }
    return true;
  }

  /** Done without an error: ack stream entries, mark replays replayed. */
  async #finish(items: WorkItem[], outcome: 'delivered' | 'duplicate' | 'skipped'): Promise<void> {
    if (items.length === 0) return;
    const ctx = this.#ctx;
    const replays = items.filter((i) => i.deadLetterId);
    if (replays.length)
      await this.#persist(() =>
        markReplayed(
          ctx.db,
          replays.map((i) => i.deadLetterId as string),
        ),
      );
    await this.#ackStream(items);
    ctx.metrics.events.inc({ outcome }, items.length);
  }

  /** The webhook is invalid: stream entries go to the dead-letter store; replays stay where they are. */
  async #park(items: WorkItem[], detail: string): Promise<void> {
    if (items.length === 0) return;
    const ctx = this.#ctx;
    const fresh = items.filter((i) => !i.deadLetterId);
    for (const item of fresh) {
      const stored = await this.#persist(() =>
        addDeadLetter(ctx.db, {
          eventId: item.event.eventId,
          guildId: this.guildId,
          streamEntryId: item.entryId,
          raw: item.raw,
          reason: 'webhook_invalid',
          detail,
        }),
      );
      if (stored) ctx.metrics.deadLettered.inc({ reason: 'webhook_invalid' });
    }
    for (const item of items) if (item.deadLetterId) item.done = true;
    await this.#ackStream(fresh);
    ctx.metrics.events.inc({ outcome: 'parked' }, items.length);
  }

  async #deadLetter(items: WorkItem[], reason: DeadLetterReason, detail: string | null): Promise<void> {
    if (items.length === 0) return;
    const ctx = this.#ctx;
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.event.eventId)) continue;
      seen.add(item.event.eventId);
      if (item.deadLetterId) await this.#persist(() => markReplayed(ctx.db, [item.deadLetterId as string]));
      const stored = await this.#persist(() =>
        addDeadLetter(ctx.db, {
          eventId: item.event.eventId,
          guildId: this.guildId,
          streamEntryId: item.entryId,
          raw: item.raw,
          reason,
          detail,
        }),
      );
      if (stored) ctx.metrics.deadLettered.inc({ reason });
    }
    for (const item of items) if (item.deadLetterId) item.done = true;
    await this.#ackStream(items);
    ctx.metrics.events.inc({ outcome: 'dead_lettered' }, items.length);
  }

  async #ackStream(items: WorkItem[]): Promise<void> {
    const stream = items.filter((i) => !i.deadLetterId && !i.done);
    if (stream.length) await this.#ctx.ack(stream.map((i) => i.entryId));
    for (const item of items) item.done = true;
  }

  /** Runs a write that must not be lost (Discord already answered), retrying until it lands or the relay is killed. */
  async #persist<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.#ctx.killSignal.aborted) throw new Killed();
      try {
        return await write();
      } catch (error) {
        this.#ctx.metrics.errors.inc({ where: 'postgres' });
        this.#ctx.logger.error('database write failed, retrying', { guildId: this.guildId, error, attempt });
        await sleep(retryDelay(attempt, 200, 5_000), this.#ctx.killSignal);
      }
    }
  }
}
