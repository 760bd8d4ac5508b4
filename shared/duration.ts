// Human durations for temporary bans and mutes: "30m", "2h", "7d", "1w2d", "1h 30m", "2 hours".

const unitMs: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000, // 365 days: a "year" of moderation, not a calendar year
};

const unitAliases: Record<string, keyof typeof unitMs> = {
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

export type DurationParse = { ok: true; ms: number } | { ok: false; error: string };

const part = /(\d+)\s*([a-z]+)\s*,?\s*/gy;

/** Parses a duration; the caller checks it against the command's own bounds with {@link checkDuration}. */
export function parseDuration(input: string): DurationParse {
  const text = input.trim().toLowerCase();
  if (!text) return { ok: false, error: 'The duration is empty.' };
  part.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    const [whole, amount, unit] = match as unknown as [string, string, string];
    const alias = unitAliases[unit];
    if (!alias)
      return { ok: false, error: `Unknown unit "${unit}" in duration "${input}". Use s, m, h, d, w or y.` };
    total += Number(amount) * (unitMs[alias] as number);
    consumed += whole.length;
  }
  if (consumed !== text.length || total === 0) {
    return {
      ok: false,
      error: `"${input}" is not a duration. Write it like 30m, 2h, 7d or 1w2d.`,
    };
  }
  if (!Number.isSafeInteger(total)) return { ok: false, error: `"${input}" is too long a duration.` };
  return { ok: true, ms: total };
}

export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

export function checkDuration(input: string, bounds: DurationBounds): DurationParse {
  const parsed = parseDuration(input);
  if (!parsed.ok) return parsed;
  if (parsed.ms < bounds.minMs) {
    return { ok: false, error: `The duration must be at least ${formatDuration(bounds.minMs)}.` };
  }
  if (parsed.ms > bounds.maxMs) {
    return { ok: false, error: `The duration can be at most ${formatDuration(bounds.maxMs)}.` };
  }
  return parsed;
}

const displayUnits: [name: string, ms: number][] = [
  ['year', unitMs.y as number],
  ['week', unitMs.w as number],
  ['day', unitMs.d as number],
  ['hour', unitMs.h as number],
  ['minute', unitMs.m as number],
  ['second', unitMs.s as number],
];

/** "1 week, 2 days"; at most the two largest units, which is what a moderator wants to read. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of displayUnits) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join(', ') : '0 seconds';
}
