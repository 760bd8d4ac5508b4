// The batching decision, pure: which of a guild's queued events go into the next webhook message.
// Nothing waits for a batch to fill: a lane sends whatever is queued the moment it is free, so an
// idle relay posts an event at once and a busy one packs what piled up during the previous send.

/** Discord's limits for one webhook message: 10 embeds, 6000 embed characters in total. */
export const messageLimits = { maxEmbeds: 10, maxChars: 6000 } as const;

export interface BatchRules<T> {
  /** Embeds per message (1 turns batching off). */
  maxItems: number;
  /** Embed characters per message. */
  maxChars: number;
  /** The embed characters of an item. */
  size(item: T): number;
  /** Items that must start a message of their own (a mod-log change: what follows goes elsewhere). */
  isBarrier?(item: T): boolean;
  /** Items that must travel alone (after Discord refused the batch they were in). */
  isSolo?(item: T): boolean;
  /** Items with the same key are the same event: later copies ride along without an embed of their own. */
  key?(item: T): string;
}

export interface BatchPlan {
  /** How many items from the front of the queue the message takes (riders included). */
  take: number;
  /** Indexes (within those) of the items that get an embed; the others are copies of one of them. */
  send: number[];
  /** Embed characters of the message. */
  chars: number;
}

/** Plans the next message from the front of `queue` (never empty unless the queue is). */
export function planBatch<T>(queue: readonly T[], rules: BatchRules<T>): BatchPlan {
  const send: number[] = [];
  const keys = new Set<string>();
  let chars = 0;
  let take = 0;
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i] as T;
    const key = rules.key?.(item);
    if (i > 0 && key !== undefined && keys.has(key)) {
      take = i + 1; // a copy of an event already in this message
      continue;
    }
    const size = rules.size(item);
    if (i > 0) {
      if (rules.isBarrier?.(item) || rules.isSolo?.(item) || rules.isSolo?.(queue[0] as T)) break;
      if (send.length >= rules.maxItems || chars + size > rules.maxChars) break;
    }
    send.push(i);
    if (key !== undefined) keys.add(key);
    chars += size;
    take = i + 1;
  }
  return { take, send, chars };
}
