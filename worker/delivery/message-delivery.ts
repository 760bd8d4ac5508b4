// Delivering one planned message of a lane, in named steps: skip the events already posted (the
// dedupe table, the lane's trailing message, and for events whose earlier send may have reached
// Discord, the channel itself: posted-check.ts), set aside what cannot be rendered, send, then
// either record and ack (trailing behind the lane's next send) or act on Discord's refusal (park on
// an invalid webhook, resend a refused batch one by one, dead-letter what cannot go). A message's
// embeds are its parts: an event's own embed, or a digest of several (digest.ts); on a webhook our
// application made, it carries the buttons of the cases it shows alone (message-components.ts). Once
// recorded, a posted reason edit, deletion or duration change edits its case's line, and a posted
// case that ended earlier cases edits theirs (case-editor.ts).
// A send whose outcome is unknown is repeated only while this relay still owns its entries and none
// of its events is in the channel; when another relay took them (this one's heartbeat lapsed) or
// some but not all of the message is found there (another relay posted part of it), the send is
// abandoned and its items go back to the queue, checked against the channel one by one: never a
// whole message recorded as posted on the strength of one of its events. While this relay's
// heartbeat may have lapsed, a send also first asks whether its entries are still its own.
import type { APIEmbed } from 'discord-api-types/v10';
import { decidedAppealEventId } from '../../shared/appeal-components.ts';
import {
  ABANDON,
  type CallOptions,
  type WebhookClient,
  type WebhookOutcome,
} from '../discord/webhook-client.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { Killed, type Persister } from '../persist.ts';
import type { ModlogTarget, RelayStore } from '../store/relay-store.ts';
import type { Ownership } from '../stream/consumer.ts';
import { insertSorted, streamIdTime } from '../stream/entries.ts';
import type { CaseEditor } from './case-editor.ts';
import { partEmbed } from './digest.ts';
import { endsOtherCases, type MessageComponents, postedComponents } from './message-components.ts';
import type { ModlogTargets } from './modlog-targets.ts';
import type { Outcomes } from './outcomes.ts';
import { casesShown, type PostedCheck, postedRef } from './posted-check.ts';
import type { RecordTrail } from './record-trail.ts';
import {
  caseIdOf,
  type EmbedCases,
  firstOfEachEvent,
  isLineEdit,
  type MessagePart,
  partCases,
  render,
  type WorkItem,
} from './work-item.ts';

/** One message's worth of a lane's queue. */
export interface PlannedMessage {
  /** Every item the message takes (later copies of an event included). */
  items: WorkItem[];
  /** The message's embeds: what each shows (together, the items shown; the others are copies). */
  parts: MessagePart[];
  target: ModlogTarget;
  /** The lane's queue, where refused items go back. */
  queue: WorkItem[];
  /** Events the lane already looked up in the dedupe table, and which of those were posted. */
  checked: ReadonlySet<string>;
  postedBefore: ReadonlySet<string>;
  trail: RecordTrail;
}

type Refusal = Exclude<WebhookOutcome, { kind: 'ok' } | { kind: 'stopped' } | { kind: 'abandoned' }>;

export interface MessageDeliveryDeps {
  store: RelayStore;
  discord: WebhookClient;
  call: CallOptions;
  targets: ModlogTargets;
  outcomes: Outcomes;
  caseEditor: CaseEditor;
  postedCheck: PostedCheck;
  /** Whether this relay still owns the stream entries it is about to send (again). */
  ownership: Ownership;
  persister: Persister;
  metrics: RelayMetrics;
  logger: Logger;
}

export class MessageDelivery {
  readonly #d: MessageDeliveryDeps;

  constructor(deps: MessageDeliveryDeps) {
    this.#d = deps;
  }

  /** Delivers the message; false when the relay is stopping (nothing was sent). */
  async deliver(message: PlannedMessage): Promise<boolean> {
    const primaries = message.parts.flatMap((p) => p.items);
    const posted = await this.#alreadyPosted(message, primaries);
    await this.#findEarlierPosts(message, primaries, posted);
    const singles = message.parts.filter((p) => !p.digest).flatMap((p) => p.items);
    const renderable = new Set(
      await this.#setAsideUnrenderable(
        message,
        singles.filter((p) => !posted.has(p.event.eventId)),
      ),
    );
    // What is left to show: a digest without its posted lines, an event alone if it renders.
    const parts = message.parts
      .map((p) => ({
        ...p,
        items: p.items.filter((i) => !posted.has(i.event.eventId) && (p.digest || renderable.has(i))),
      }))
      .filter((p) => p.items.length > 0);
    const toSend = parts.flatMap((p) => p.items);
    let sent: Sent | null = null;
    if (toSend.length > 0) {
      const embeds = parts.map(partEmbed);
      const components = postedComponents(parts, message.target);
      const outcome = await this.#send(message, { embeds, components }, toSend);
      if (outcome.kind === 'stopped') return false; // nothing was sent: the entries stay pending
      if (outcome.kind === 'abandoned') {
        // Not all ours, or not all posted: the items go back, each checked against the channel anew.
        for (const item of message.items) {
          if (item.done) continue;
          item.uncertain = true;
          insertSorted(message.queue, item);
        }
        return true;
      }
      if (outcome.kind !== 'ok') {
        await this.#refused(message, toSend, outcome, components !== undefined);
        return true;
      }
      sent = { items: toSend, messageId: outcome.messageId, embeds, cases: parts.map(partCases) };
    }
    await message.trail.settled();
    const sentIds = new Set(sent?.items.map((p) => p.event.eventId));
    const settling = this.#settle(
      message,
      sent,
      (item) => posted.has(item.event.eventId) || sentIds.has(item.event.eventId),
    );
    // A line edit reads the record of the message it edits: let it (and its own record) land first.
    const edits = message.items.some((i) => isLineEdit(i.event) || decidedAppealEventId(i.event) !== null);
    if (edits) await settling;
    else message.trail.follow(sentIds, settling);
    return true;
  }

  async #alreadyPosted(message: PlannedMessage, primaries: WorkItem[]): Promise<Set<string>> {
    const ids = primaries.map((p) => p.event.eventId);
    const unchecked = ids.filter((id) => !message.checked.has(id));
    const found = unchecked.length ? await this.#d.store.deliveredEventIds(unchecked) : new Set<string>();
    return new Set(
      ids.filter((id) => message.postedBefore.has(id) || found.has(id) || message.trail.has(id)),
    );
  }

  /**
   * Events handed to a relay before may have been posted by it (it died before recording them):
   * those found in the channel are recorded with the message that shows them and count as posted.
   */
  async #findEarlierPosts(
    message: PlannedMessage,
    primaries: WorkItem[],
    posted: Set<string>,
  ): Promise<void> {
    const uncertain = primaries.filter((p) => p.uncertain && !posted.has(p.event.eventId));
    if (uncertain.length === 0) return;
    const since = Math.min(...uncertain.map((p) => streamIdTime(p.entryId)));
    const lookup = await this.#d.postedCheck.find(message.target, uncertain.map(postedRef), since);
    for (const item of uncertain) item.uncertain = false;
    if (lookup.kind !== 'checked' || lookup.found.size === 0) return;
    const byMessage = new Map<string, WorkItem[]>();
    for (const item of uncertain) {
      const messageId = lookup.found.get(item.event.eventId);
      if (messageId) byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), item]);
    }
    for (const [messageId, items] of byMessage) {
      // Recorded as it stands in the channel, so a later reason edit keeps the message's layout.
      const embeds = lookup.embeds.get(messageId) ?? [];
      await this.#record(message.target, { items, messageId, embeds, cases: casesShown(embeds, items) });
      for (const item of items) posted.add(item.event.eventId);
    }
    this.#d.metrics.confirmedPosts.inc(lookup.found.size);
    this.#d.logger.info('found earlier posts in the channel: recorded, not posted again', {
      guildId: message.target.guildId,
      count: lookup.found.size,
    });
  }

  /** The dedupe rows (and the message, and its cases) of a posted message. */
  #record(target: ModlogTarget, sent: Sent): Promise<void> {
    return this.#d.persister.write('postgres', 'recording a delivery', () =>
      this.#d.store.recordDelivery({
        guildId: target.guildId,
        webhookId: target.webhook.id,
        messageId: sent.messageId,
        events: sent.items.map((p) => ({ eventId: p.event.eventId, caseId: caseIdOf(p.event) })),
        embeds: sent.embeds,
        embedCases: sent.cases,
      }),
    );
  }

  /** Dead-letters the events whose embed cannot be built; returns the others. */
  async #setAsideUnrenderable(message: PlannedMessage, items: WorkItem[]): Promise<WorkItem[]> {
    const sendable: WorkItem[] = [];
    for (const item of items) {
      const rendered = render(item);
      if ('error' in rendered)
        await this.#d.outcomes.setAside(this.#copiesOf(message, [item]), 'bad_payload', rendered.error);
      else sendable.push(item);
    }
    return sendable;
  }

  async #send(
    message: PlannedMessage,
    { embeds, components }: { embeds: APIEmbed[]; components: MessageComponents | undefined },
    items: WorkItem[],
  ): Promise<WebhookOutcome> {
    const { target } = message;
    this.#d.logger.debug('sending', {
      guildId: target.guildId,
      webhookId: target.webhook.id,
      entries: items.map((p) => p.entryId),
    });
    const entries = items.filter((p) => !p.deadLetterId && !p.fromOutbox).map((p) => p.entryId);
    const lost = async () => entries.length > 0 && (await this.#d.ownership.lostAmong(entries)).length > 0;
    // After a lapse of our heartbeat another relay may have taken these entries: it sends them.
    if (this.#d.ownership.mayHaveLapsed() && (await lost()))
      return { kind: 'abandoned', detail: 'taken over by another relay' };
    // Before repeating an attempt that may have been carried out: are these still ours, and is the
    // message already there?
    const confirm = async (sinceMs: number) => {
      // Not knowing whether they are still ours (Redis unreachable), do not repeat: requeued as
      // uncertain, the items are looked for in the channel again at the next try.
      if (await lost().catch(() => true)) return ABANDON;
      const lookup = await this.#d.postedCheck.find(target, items.map(postedRef), sinceMs);
      if (lookup.kind !== 'checked' || lookup.found.size === 0) return null;
      const shownIn = new Set(lookup.found.values());
      const events = new Set(items.map((p) => p.event.eventId));
      const [messageId] = shownIn;
      if (lookup.found.size < events.size || shownIn.size > 1 || !messageId) return ABANDON;
      this.#d.metrics.confirmedPosts.inc(items.length);
      return messageId;
    };
    const outcome = await this.#d.discord.execute(
      target.webhook,
      { embeds, allowed_mentions: { parse: [] }, ...(components ? { components } : {}) },
      { ...this.#d.call, confirm },
    );
    if (this.#d.persister.killed) throw new Killed();
    if (outcome.kind === 'ok') {
      this.#d.metrics.messages.inc();
      const now = Date.now();
      for (const p of items)
        if (!p.deadLetterId) this.#d.metrics.latency.observe((now - streamIdTime(p.entryId)) / 1000);
    }
    return outcome;
  }

  /** After a 2xx: the dedupe rows (before any ack), the edits they call for, then the acks. */
  async #settle(
    message: PlannedMessage,
    sent: Sent | null,
    postedNow: (item: WorkItem) => boolean,
  ): Promise<void> {
    const { target } = message;
    if (sent) await this.#record(target, sent);
    // A posted reason edit, deletion or duration change edits its case's line; a case that ends
    // earlier ones (an unban, an unmute, a re-ban) theirs. Posted again after a crash, they edit
    // again (rebuilt from the rows).
    const shown = firstOfEachEvent(message.items).filter((i) => !i.done && postedNow(i));
    const lineEdits = shown.filter((i) => isLineEdit(i.event));
    const enders = shown.filter((i) => endsOtherCases(i.event)).map((i) => i.event.data.id as string);
    // An appeal's decision edits the appeal's line.
    const decisions = shown.filter((i) => decidedAppealEventId(i.event) !== null);
    const editing = lineEdits.length + enders.length + decisions.length > 0;
    const current = editing ? await this.#d.targets.get(target.guildId) : null;
    if (current && !current.broken) {
      for (const item of lineEdits) await this.#d.caseEditor.lineEdited(item, current);
      for (const item of decisions) await this.#d.caseEditor.appealDecided(item, current);
      if (enders.length > 0) await this.#d.caseEditor.casesEnded(enders, current);
    }
    const sentIds = new Set(sent?.items.map((p) => p.event.eventId));
    const delivered = firstOfEachEvent(message.items).filter((i) => sentIds.has(i.event.eventId));
    await this.#d.outcomes.finish(
      delivered.filter((i) => !i.done),
      'delivered',
    );
    await this.#d.outcomes.finish(
      message.items.filter((i) => !i.done && postedNow(i)),
      'duplicate',
    );
  }

  /** Discord refused the message: what happens to its events depends on why. */
  async #refused(
    message: PlannedMessage,
    sent: WorkItem[],
    outcome: Refusal,
    withComponents: boolean,
  ): Promise<void> {
    const items = this.#copiesOf(message, sent);
    const { target, queue } = message;
    switch (outcome.kind) {
      case 'invalid_webhook': {
        const current = await this.#d.targets.refused(target, outcome.detail);
        if (current === null) {
          await this.#d.outcomes.finish(items, 'skipped'); // the mod-log was turned off meanwhile
        } else if (current.webhook.id !== target.webhook.id && !current.broken) {
          // `/modlog set` gave the guild a new webhook (handled by another relay): use it.
          for (const item of items) insertSorted(queue, item);
        } else {
          await this.#d.outcomes.setAside(items, 'webhook_invalid', outcome.detail);
        }
        return;
      }
      case 'bad_request':
        if (sent.length > 1) {
          // Discord does not say which embed it refused: send each alone, in order.
          this.#d.logger.warn('batch refused, sending its events one by one', {
            guildId: target.guildId,
            detail: outcome.detail,
          });
          for (const item of items) {
            item.solo = true;
            insertSorted(queue, item);
          }
          return;
        }
        if (withComponents) {
          // Refused alone with its buttons: the line matters more than its buttons.
          this.#d.logger.warn('a message was refused with its buttons: sending it without', {
            guildId: target.guildId,
            detail: outcome.detail,
          });
          for (const item of items) {
            item.solo = true;
            item.plain = true;
            insertSorted(queue, item);
          }
          return;
        }
        return this.#d.outcomes.setAside(items, 'bad_payload', outcome.detail);
      case 'gave_up':
        this.#d.logger.error('giving up on a message', { guildId: target.guildId, detail: outcome.detail });
        return this.#d.outcomes.setAside(
          items,
          'retries_exhausted',
          `${outcome.detail} (after ${outcome.attempts} attempts)`,
        );
      default:
        // unknown_message cannot answer an execute; treat it as a refusal of this payload.
        return this.#d.outcomes.setAside(items, 'bad_payload', outcome.detail);
    }
  }

  /** The message's items that are these events (copies included). */
  #copiesOf(message: PlannedMessage, events: WorkItem[]): WorkItem[] {
    const ids = new Set(events.map((e) => e.event.eventId));
    return message.items.filter((i) => ids.has(i.event.eventId));
  }
}

/** A posted message: the events it shows, its embeds and what each embed shows. */
interface Sent {
  items: WorkItem[];
  messageId: string | null;
  embeds: APIEmbed[];
  cases: EmbedCases[];
}
