import { describe, expect, it } from 'vitest';
import { type BatchRules, messageLimits, planBatch } from './batching.ts';

interface Item {
  id: string;
  size: number;
  barrier?: boolean;
  solo?: boolean;
  group?: string;
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
    expect(planBatch([], rules)).toEqual({ take: 0, send: [], parts: [], chars: 0 });
    expect(planBatch(items(1), rules)).toEqual({
      take: 1,
      send: [0],
      parts: [{ indexes: [0], group: null, header: false }],
      chars: 100,
    });
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

describe('planBatch with digest groups', () => {
  // A group's embed: 100 characters of header (moderator, reason) or 30 without, plus 50 a line;
  // at most 80 lines (4000 characters) fit one embed.
  const grouped: BatchRules<Item> = {
    ...rules,
    group: (i) => i.group ?? null,
    groupSize: (lines, header) => (lines.length > 80 ? null : (header ? 100 : 30) + 50 * lines.length),
  };
  const lines = (n: number, group = 'g', from = 0): Item[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${group}${from + i}`, size: 900, group }));

  it('puts a group in one embed, one line each, with the header once', () => {
    const plan = planBatch(lines(20), grouped);
    expect(plan.take).toBe(20);
    expect(plan.parts).toEqual([{ indexes: [...Array(20).keys()], group: 'g', header: true }]);
    expect(plan.chars).toBe(100 + 20 * 50);
  });

  it('continues a long group in a second embed without the header, within 6000 characters', () => {
    const plan = planBatch(lines(300), grouped);
    expect(plan.parts.map((p) => [p.indexes.length, p.header])).toEqual([
      [80, true],
      [37, false],
    ]);
    expect(plan.chars).toBe(100 + 80 * 50 + 30 + 37 * 50);
    expect(plan.chars).toBeLessThanOrEqual(6000);
    expect(plan.take).toBe(117);
  });

  it('keeps queue order: singles and groups interleave as queued', () => {
    const queue = [
      ...items(2),
      ...lines(3, 'a'),
      ...items(1).map((i) => ({ ...i, id: 'solo' })),
      ...lines(2, 'b'),
    ];
    const plan = planBatch(queue, grouped);
    expect(plan.parts.map((p) => p.indexes)).toEqual([[0], [1], [2, 3, 4], [5], [6, 7]]);
    expect(plan.parts.map((p) => p.header)).toEqual([false, false, true, false, true]);
    expect(plan.send).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops at ten embeds, counting each embed of a group', () => {
    const queue = [...items(9), ...lines(5)];
    const plan = planBatch(queue, grouped);
    expect(plan.parts).toHaveLength(10);
    expect(plan.take).toBe(14); // the whole group fits the tenth embed
    expect(planBatch([...items(10), ...lines(5)], grouped).take).toBe(10);
  });

  it('lets a solo item of a group travel alone, as its own embed', () => {
    const queue = [{ ...lines(1)[0], solo: true } as Item, ...lines(4, 'g', 1)];
    const plan = planBatch(queue, grouped);
    expect(plan.take).toBe(1);
    expect(plan.parts).toEqual([{ indexes: [0], group: null, header: false }]);
  });

  it('lets copies of a grouped event ride along', () => {
    const queue = [...lines(3), { ...lines(1)[0] } as Item, ...lines(2, 'g', 3)];
    const plan = planBatch(queue, grouped);
    expect(plan.take).toBe(6);
    expect(plan.parts).toEqual([{ indexes: [0, 1, 2, 4, 5], group: 'g', header: true }]);
  });
});
