import { describe, expect, it } from 'vitest';
import { timeoutEnd } from './timeouts.ts';

const DAY = 86_400_000;

describe('timeoutEnd', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('uses the mute’s end when it is within Discord’s cap', () => {
    const end = new Date(now.getTime() + 3 * DAY);
    expect(timeoutEnd(now, end)).toEqual(end);
  });
  it('caps at 28 days less a minute for longer mutes', () => {
    const end = new Date(now.getTime() + 60 * DAY);
    expect(timeoutEnd(now, end).getTime()).toBe(now.getTime() + 28 * DAY - 60_000);
  });
});
