// Injected failures: a test registers "the next N requests matching this method and path regex get
// this status (or hang)", so clients can be tested against Discord outages, 5xx, 429 storms and
// timeouts. Pure bookkeeping; the HTTP layer decides how each fault is answered.
import type { FaultSpec } from './types.ts';

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  pattern: RegExp;
  method: string | null;
  remaining: number;
}

/** Checks a FaultSpec from the control API; returns the problem in words, or null. */
export function faultProblem(spec: unknown): string | null {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    return 'body must be a FaultSpec object';
  const fault = spec as Record<string, unknown>;
  if (typeof fault.path !== 'string') return '`path` (a regular expression) is required';
  try {
    new RegExp(fault.path);
  } catch (error) {
    return `\`path\` is not a valid regular expression: ${(error as Error).message}`;
  }
  if (typeof fault.count !== 'number' || !Number.isInteger(fault.count) || fault.count < 1) {
    return '`count` must be a positive integer';
  }
  if (
    typeof fault.status !== 'number' ||
    !Number.isInteger(fault.status) ||
    (fault.status !== 0 && (fault.status < 100 || fault.status > 599))
  ) {
    return '`status` must be 0 (hang) or an HTTP status';
  }
  if (fault.method !== undefined && typeof fault.method !== 'string') return '`method` must be a string';
  for (const key of ['code', 'retryAfter', 'delayMs'] as const) {
    if (fault[key] !== undefined && (typeof fault[key] !== 'number' || (fault[key] as number) < 0)) {
      return `\`${key}\` must be a non-negative number`;
    }
  }
  if (fault.message !== undefined && typeof fault.message !== 'string') return '`message` must be a string';
  if (fault.drop !== undefined && (typeof fault.drop !== 'boolean' || (fault.drop && !fault.passThrough)))
    return '`drop` is a boolean, and needs `passThrough`';
  return null;
}

export class FaultBook {
  readonly #faults: ActiveFault[] = [];
  #nextId = 0;

  add(spec: FaultSpec): string {
    const id = `fault-${++this.#nextId}`;
    this.#faults.push({
      id,
      spec,
      pattern: new RegExp(spec.path),
      method: spec.method ? spec.method.toUpperCase() : null,
      remaining: spec.count,
    });
    return id;
  }

  remove(id: string): boolean {
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index < 0) return false;
    this.#faults.splice(index, 1);
    return true;
  }

  /** The first fault matching the request, counted as used (and dropped once spent). */
  take(method: string, path: string): FaultSpec | null {
    const upper = method.toUpperCase();
    const fault = this.#faults.find((f) => (f.method === null || f.method === upper) && f.pattern.test(path));
    if (!fault) return null;
    fault.remaining--;
    if (fault.remaining <= 0) this.remove(fault.id);
    return fault.spec;
  }
}
