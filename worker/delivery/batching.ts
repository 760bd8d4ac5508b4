// The batching decision, pure: which of a guild's queued events go into the next webhook message,
// and how they are laid out in embeds. Nothing waits for a batch to fill: a lane sends whatever is
// queued the moment it is free, so an idle relay posts an event at once and a busy one packs what
// piled up during the previous send. Events of one digest group (digest.ts decides which) share
// embeds, one line each, instead of taking an embed each.

/** Discord's limits for one webhook message: 10 embeds, 6000 embed characters in total. */
export const messageLimits = { maxEmbeds: 10, maxChars: 6000 } as const;

export interface BatchRules<T> {
  /** Embeds per message (1 turns batching off). */
  maxItems: number;
  /** Embed characters per message. */
  maxChars: number;
  /** The embed characters of an item shown alone. */
  size(item: T): number;
  /** Items that must start a message of their own (a mod-log change: what follows goes elsewhere). */
  isBarrier?(item: T): boolean;
  /** Items that must travel alone (after Discord refused the batch they were in). */
  isSolo?(item: T): boolean;
  /** Items with the same key are the same event: later copies ride along without an embed of their own. */
  key?(item: T): string;
  /** The digest group of an item (consecutive items of one group share embeds), if any. */
  group?(item: T): string | null;
  /**
   * The characters of one embed showing these items of a group (`header`: the group's first embed
   * in the message, which names moderator and reason), or null when they do not fit one embed.
   */
  groupSize?(items: readonly T[], header: boolean): number | null;
}

/** One embed of the message: an item alone, or lines of a digest group. */
export interface PlannedPart {
  /** Indexes (within the items taken) of what the embed shows. */
  indexes: number[];
  group: string | null;
  header: boolean;
}

export interface BatchPlan {
  /** How many items from the front of the queue the message takes (riders included). */
  take: number;
  /** Indexes (within those) of the items shown; the others are copies of one of them. */
  send: number[];
  /** The message's embeds, in order. */
  parts: PlannedPart[];
  /** Embed characters of the message. */
  chars: number;
}

/** Plans the next message from the front of `queue` (never empty unless the queue is). */
export function planBatch<T>(queue: readonly T[], rules: BatchRules<T>): BatchPlan {
  const send: number[] = [];
  const parts: (PlannedPart & { size: number })[] = [];
  const keys = new Set<string>();
  let chars = 0;
  let take = 0;
  const lead = queue[0] as T;
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i] as T;
    const key = rules.key?.(item);
    if (i > 0 && key !== undefined && keys.has(key)) {
      take = i + 1; // a copy of an event already in this message
      continue;
    }
    if (i > 0 && (rules.isBarrier?.(item) || rules.isSolo?.(item) || rules.isSolo?.(lead))) break;
    const group = (!rules.isSolo?.(item) && rules.group?.(item)) || null;
    const placed = group && rules.groupSize ? placeLine(parts, group, queue, i, rules) : null;
    if (placed) {
      if (i > 0 && placed.grows > 0 && chars + placed.grows > rules.maxChars) break;
      if (placed.part) parts.push(placed.part);
      else {
        const last = parts[parts.length - 1] as PlannedPart & { size: number };
        last.indexes.push(i);
        last.size += placed.grows;
      }
      chars += placed.grows;
    } else {
      const size = rules.size(item);
      if (i > 0 && (parts.length >= rules.maxItems || chars + size > rules.maxChars)) break;
      parts.push({ indexes: [i], group: null, header: false, size });
      chars += size;
    }
    send.push(i);
    if (key !== undefined) keys.add(key);
    take = i + 1;
  }
  return { take, send, parts: parts.map(({ size: _, ...part }) => part), chars };
}

/**
 * Where a group's line goes: onto the last embed when it is the same group and still fits, else
 * into a new embed of the group (null `part` means "appended"; `grows` is the characters added).
 * Returns null only when the line does not fit even a new embed of its own, or the embeds run out.
 */
function placeLine<T>(
  parts: (PlannedPart & { size: number })[],
  group: string,
  queue: readonly T[],
  i: number,
  rules: BatchRules<T>,
): { part: (PlannedPart & { size: number }) | null; grows: number } | null {
  const size = rules.groupSize as NonNullable<BatchRules<T>['groupSize']>;
  const last = parts[parts.length - 1];
  if (last?.group === group) {
    const grown = size([...last.indexes.map((x) => queue[x] as T), queue[i] as T], last.header);
    if (grown !== null) return { part: null, grows: grown - last.size };
  }
  if (parts.length >= rules.maxItems && parts.length > 0) return null;
  const header = last?.group !== group; // a group's first embed in the message names who and why
  const alone = size([queue[i] as T], header);
  if (alone === null) return null;
  return { part: { indexes: [i], group, header, size: alone }, grows: alone };
}
