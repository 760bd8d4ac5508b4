// Did a send whose outcome the relay does not know reach the mod-log? Asked before repeating one: an
// entry handed to a relay before (claimed from a dead relay, or re-read as its own pending after a
// restart) or a retry after a timeout, a dropped connection or a 5xx. It reads the channel with the
// bot token (Get Channel Messages, `after` a snowflake a minute before the send could have happened,
// paging forward) and looks for messages from the guild's webhook whose embed footers carry the
// events' references (work-item.ts) or, for events shown in a digest (digest.ts), whose digest lines
// carry the events' case numbers (one case, one creating event, per guild). When the channel cannot be read (no bot token, no View Channel,
// a webhook in a channel the bot cannot see) the relay posts anyway, at least once, and counts it
// (`lockdown_relay_unverified_resends_total`), logging once per guild. Without Read Message History
// Discord answers an empty list, as for a channel with nothing new: so an empty answer is checked
// once more, around the newest message the webhook is recorded to have posted there; empty again,
// the history is unreadable (or that message was deleted) and the resend counts as unverified.
// Before the guild's first recorded post there is nothing to check against: an empty list stands.
import type { APIEmbed } from 'discord-api-types/v10';
import { digestLineCase } from '../../shared/digest-embeds.ts';
import type { WebhookClient } from '../discord/webhook-client.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import type { ModlogTarget, RelayStore } from '../store/relay-store.ts';
import { caseIdOf, type EmbedCases, eventRef, type WorkItem } from './work-item.ts';

/** Discord's epoch (2015-01-01), for the snowflake of a moment. */
const DISCORD_EPOCH = 1_420_070_400_000n;
/** Clocks differ (Redis, this host, Discord): look from a minute earlier. */
const MARGIN_MS = 60_000;
const MAX_PAGES = 10;

export function snowflakeAt(ms: number): string {
  const at = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH;
  return (at > 0n ? at << 22n : 0n).toString();
}

/** An event looked for: its id, and for a case event its case number (how a digest shows it). */
export interface PostedRef {
  eventId: string;
  caseNumber: number | null;
}

export type PostedLookup =
  | {
      kind: 'checked';
      /** Event id → the message showing it. */
      found: Map<string, string>;
      /** The embeds of those messages, as posted. */
      embeds: Map<string, APIEmbed[]>;
    }
  | { kind: 'unverified' };

/** The case numbers a digest embed shows (none for other embeds). */
export function digestCaseNumbers(embed: APIEmbed): number[] {
  if (!embed.description) return [];
  return embed.description.split('\n').flatMap((line) => {
    const n = digestLineCase(line);
    return n === null ? [] : [n];
  });
}

export class PostedCheck {
  readonly #discord: WebhookClient;
  readonly #store: RelayStore;
  readonly #metrics: RelayMetrics;
  readonly #logger: Logger;
  readonly #signal: AbortSignal;
  readonly #warned = new Set<string>();

  constructor(deps: {
    discord: WebhookClient;
    store: RelayStore;
    metrics: RelayMetrics;
    logger: Logger;
    signal: AbortSignal;
  }) {
    this.#discord = deps.discord;
    this.#store = deps.store;
    this.#metrics = deps.metrics;
    this.#logger = deps.logger;
    this.#signal = deps.signal;
  }

  /** Which of these events are in the channel since `sinceMs` (event id → message id). */
  async find(target: ModlogTarget, refs: PostedRef[], sinceMs: number): Promise<PostedLookup> {
    if (!target.channelId) return this.#unverified(target, 'the mod-log channel is not known');
    const wanted = new Map(refs.map((r) => [eventRef(r.eventId), r.eventId]));
    const byCase = new Map(refs.flatMap((r) => (r.caseNumber === null ? [] : [[r.caseNumber, r.eventId]])));
    const found = new Map<string, string>();
    const embeds = new Map<string, APIEmbed[]>();
    let after = snowflakeAt(sinceMs - MARGIN_MS);
    for (let page = 0; page < MAX_PAGES && found.size < wanted.size; page++) {
      const reply = await this.#discord.channelMessages(target.channelId, after, this.#signal);
      if (reply.kind !== 'ok') return this.#unverified(target, reply.detail);
      if (page === 0 && reply.messages.length === 0) {
        const why = await this.#historyUnreadable(target);
        if (why) return this.#unverified(target, why);
      }
      for (const message of reply.messages) {
        if (message.webhook_id !== target.webhook.id) continue;
        const before = found.size;
        for (const embed of message.embeds ?? []) {
          const text = embed.footer?.text ?? '';
          for (const [ref, eventId] of wanted) if (text.endsWith(ref)) found.set(eventId, message.id);
          for (const n of digestCaseNumbers(embed)) {
            const eventId = byCase.get(n);
            if (eventId) found.set(eventId, message.id);
          }
        }
        if (found.size > before) embeds.set(message.id, message.embeds ?? []);
      }
      if (reply.messages.length < 100) break;
      after = reply.messages.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
    }
    return { kind: 'checked', found, embeds };
  }

  /** Why the channel's history reads as empty when it is not (null: it may well be empty). */
  async #historyUnreadable(target: ModlogTarget): Promise<string | null> {
    let known: string | null;
    try {
      known = await this.#store.lastPostedMessage(target.guildId, target.webhook.id);
    } catch {
      return 'could not look up the last recorded post (database unreachable)';
    }
    if (!known || !target.channelId) return null;
    const reply = await this.#discord.channelMessages(target.channelId, known, this.#signal, 'around');
    if (reply.kind !== 'ok') return reply.detail;
    return reply.messages.length === 0
      ? 'the channel reads as empty around a message posted there (no Read Message History?)'
      : null;
  }

  #unverified(target: ModlogTarget, why: string): PostedLookup {
    this.#metrics.unverifiedResends.inc();
    if (!this.#warned.has(target.guildId)) {
      this.#warned.add(target.guildId);
      this.#logger.warn('cannot read the mod-log channel to check for an earlier post: posting anyway', {
        guildId: target.guildId,
        why,
      });
    }
    return { kind: 'unverified' };
  }
}

/** How the posted check finds an event: its footer reference, or its case number in a digest line. */
export const postedRef = (item: WorkItem): PostedRef => {
  const caseId = caseIdOf(item.event);
  const n = caseId === null ? null : item.event.data.caseNumber;
  return { eventId: item.event.eventId, caseNumber: typeof n === 'number' ? n : null };
};

/** What each embed of a message found in the channel shows, among these events. */
export function casesShown(embeds: readonly APIEmbed[], items: readonly WorkItem[]): EmbedCases[] {
  return embeds.map((embed) => {
    const numbers = new Set(digestCaseNumbers(embed));
    if (numbers.size > 0) {
      return items.flatMap((i) => {
        const ref = postedRef(i);
        const caseId = caseIdOf(i.event);
        return ref.caseNumber !== null && numbers.has(ref.caseNumber) && caseId ? [caseId] : [];
      });
    }
    const footer = embed.footer?.text ?? '';
    const shown = items.find((i) => footer.endsWith(eventRef(i.event.eventId)));
    return shown ? caseIdOf(shown.event) : null;
  });
}
