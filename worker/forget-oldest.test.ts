import { describe, expect, it } from 'vitest';
import { forgetOldest } from './forget-oldest.ts';

describe('forgetOldest', () => {
  it('leaves a memo at or under its limit alone', () => {
    const memo = new Map([1, 2, 3].map((n) => [n, n]));
    forgetOldest(memo, 3, 2);
    expect([...memo.keys()]).toEqual([1, 2, 3]);
  });

  it('forgets the oldest entries, in insertion order, once past the limit', () => {
    const memo = new Set([5, 1, 4, 2, 3]);
    forgetOldest(memo, 4, 2);
    expect([...memo]).toEqual([4, 2, 3]);
  });
});
