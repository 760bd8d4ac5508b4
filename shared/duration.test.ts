import { describe, expect, it } from 'vitest';
import { checkDuration, formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['1w2d', 9 * 86_400_000],
    ['1h 30m', 90 * 60_000],
    ['2 hours', 2 * 3_600_000],
    ['1 day, 12 hours', 36 * 3_600_000],
    ['1Y', 365 * 86_400_000],
  ])('%s', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each(['', 'soon', '10', '5x', '1h junk', 'h', '-1d', '0m'])('rejects %j', (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
  });

  it('names the unknown unit', () => {
    expect(parseDuration('3 fortnights')).toEqual({
      ok: false,
      error: 'Unknown unit "fortnights" in duration "3 fortnights". Use s, m, h, d, w or y.',
    });
  });
});

describe('checkDuration', () => {
  const bounds = { minMs: 60_000, maxMs: 28 * 86_400_000 };
  it('accepts within bounds', () =>
    expect(checkDuration('1d', bounds)).toEqual({ ok: true, ms: 86_400_000 }));
  it('rejects too short', () =>
    expect(checkDuration('30s', bounds)).toEqual({
      ok: false,
      error: 'The duration must be at least 1 minute.',
    }));
  it('rejects too long', () =>
    expect(checkDuration('5w', bounds)).toEqual({
      ok: false,
      error: 'The duration can be at most 4 weeks.',
    }));
});

describe('formatDuration', () => {
  it('keeps the two largest units', () => {
    expect(formatDuration(9 * 86_400_000 + 3_600_000)).toBe('1 week, 2 days');
    expect(formatDuration(90 * 60_000)).toBe('1 hour, 30 minutes');
    expect(formatDuration(60_000)).toBe('1 minute');
  });
});
