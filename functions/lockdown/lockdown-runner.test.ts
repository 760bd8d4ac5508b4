// The lockdown runner's request arithmetic: how many channels each batch of a run takes.
import { describe, expect, it } from 'vitest';
import { SUBREQUEST_COST } from '../scheduled/budget.ts';
import {
  BATCH_COST,
  BATCH_FIXED_COST,
  BATCH_SIZE,
  batchChannels,
  batchSizes,
  channelCost,
} from './lockdown-runner.ts';

describe('lockdown batches', () => {
  it('counts three Discord calls a channel with a notice (post, change, deletion), one without', () => {
    expect(channelCost(true)).toBe(3 * SUBREQUEST_COST.discord);
    expect(channelCost(false)).toBe(SUBREQUEST_COST.discord);
    expect(BATCH_COST).toBe(BATCH_FIXED_COST + channelCost(true));
  });

  it('takes as many channels as fit, up to BATCH_SIZE, and none below one channel', () => {
    expect(batchChannels(BATCH_FIXED_COST + 25 * channelCost(true) + 5, true)).toBe(BATCH_SIZE);
    expect(batchChannels(BATCH_FIXED_COST + 7 * channelCost(true) + 1, true)).toBe(7);
    expect(batchChannels(BATCH_COST - 1, true)).toBe(0);
    expect(batchChannels(0, false)).toBe(0);
  });

  it('plans a run that never spends more than it was given, the last batch shrunk to fit', () => {
    for (const requests of [BATCH_COST, 230, 500, 972, 1_000]) {
      for (const withNotice of [true, false]) {
        const sizes = batchSizes(requests, withNotice, 10_000);
        const spent = sizes.reduce((sum, n) => sum + BATCH_FIXED_COST + n * channelCost(withNotice), 0);
        expect(spent).toBeLessThanOrEqual(requests);
        expect(sizes.every((n) => n >= 1 && n <= BATCH_SIZE)).toBe(true);
        // Nothing more would fit.
        expect(batchChannels(requests - spent, withNotice)).toBe(0);
      }
    }
    // Fewer channels than fit: they all go, the last batch partly filled.
    expect(batchSizes(10_000, true, 60)).toEqual([25, 25, 10]);
    expect(batchSizes(BATCH_FIXED_COST, false, 5)).toEqual([]);
  });
});
