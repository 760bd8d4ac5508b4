import { describe, expect, it } from 'vitest';
import { type BatchRules, messageLimits, planBatch } from './batching.ts';

interface Item {
  id: string;
  size: number;
  barrier?: boolean;
  solo?: boolean;
}

const rules: BatchRules<Item> = {
  ...{ maxItems: messageLimits.maxEmbeds, maxChars: messageLimits.maxChars },
  size: (i) => i.size,
  isBarrier: (i) => i.barrier === true,
  isSolo: (i) => i.solo === true,
  key: (i) => i.id,
};

const items = (n: number, size = 100): Item[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, size }));

describe('planBatch', () => {
  it('returns nothing for an empty queue and one item when one is queued (no waiting for more)', () => {
    expect(planBatch([], rules)).toEqual({ take: 0, send: [], chars: 0 });
    expect(planBatch(items(1), rules)).toEqual({ take: 1, send: [0], chars: 100 });
  });

  it('packs up to 10 embeds', () => {
    const plan = planBatch(items(25), rules);
    expect(plan.take).toBe(10);
    expect(plan.send).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('stays within 6000 characters', () => {
    const plan = planBatch(items(10, 1400), rules);
    expect(plan.take).toBe(4);
    expect(plan.chars).toBe(5600);
    expect(planBatch(items(10, 3000), rules).take).toBe(2);
    // An item that alone is as big as allowed still goes, alone.
    expect(planBatch(items(3, 6000), rules).take).toBe(1);
  });

  it('sends one embed per message when batching is off', () => {
    expect(planBatch(items(5), { ...rules, maxItems: 1 }).take).toBe(1);
  });

  it('starts a new message at a barrier, which itself may lead one', () => {
    const queue = [
      ...items(3),
      { id: 'set', size: 50, barrier: true },
      ...items(2).map((i) => ({ ...i, id: `x${i.id}` })),
    ];
    expect(planBatch(queue, rules).take).toBe(3);
    expect(planBatch(queue.slice(3), rules).take).toBe(3);
  });

  it('keeps a solo item alone, whether it leads or follows', () => {
    const solo = { id: 'solo', size: 10, solo: true };
    expect(planBatch([solo, ...items(3)], rules).take).toBe(1);
    expect(planBatch([...items(2), solo], rules).take).toBe(2);
  });

  it('lets copies of an event ride along without an embed of their own', () => {
    const queue = [...items(2), { id: 'e0', size: 100 }, ...items(12).slice(2)];
    const plan = planBatch(queue, rules);
    expect(plan.send).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan.take).toBe(11);
  });
});
