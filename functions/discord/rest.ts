// The Worker's Discord REST client: every call goes to DISCORD_API_BASE with the bot token, a
// timeout, an optional audit-log reason, and Discord's JSON errors turned into DiscordApiError.
// Rate limits, for every caller alike: a bot-token call first waits for its route's bucket when the
// last headers said it is empty (route-buckets.ts), then takes a slot of the budget shared in Redis
// (global-budget.ts; webhook-token calls — interaction responses — are outside Discord's global
// limit and take none). A 429 is waited out in place once when its retry_after fits what the call
// may still wait; a global one first holds the shared budget, so every consumer pauses. A wait that
// would not fit fails fast with a 429 DiscordApiError, nothing sent, as Discord's own would.

import { type RateLimitScope, readRateLimit } from '../../shared/discord-rate-limits.ts';
import { truncate } from '../../shared/embed-fit.ts';
import { type GlobalBudget, GlobalBudgetBusyError } from './global-budget.ts';
import { decideWait, RouteBuckets } from './route-buckets.ts';

/** Discord's limit for X-Audit-Log-Reason, counted before URL encoding. */
const AUDIT_REASON_LIMIT = 512;
const DEFAULT_TIMEOUT_MS = 4_000;
/**
 * The most one call waits for rate limits (its bucket, its budget slot, a 429's retry_after) before
 * it is sent; a longer wait fails fast and goes back to the caller (the moderator sees "try again in
 * N seconds", the scheduler backs off). Keeps an interaction's calls inside Discord's 3 s.
 */
export const DEFAULT_MAX_WAIT_MS = 1_000;
/**
 * The most requests one call sends, for callers counting subrequests: two fetches (a 429 retried
 * once) and two budget EVALs, one fetch each (the slot, and a retry's slot or a global 429's hold,
 * which keeps the retry's slot).
 */
export const MAX_FETCHES_PER_CALL = 2;
export const MAX_BUDGET_EVALS_PER_CALL = 2;

export type DiscordFailureKind = 'http' | 'timeout' | 'network';

/** One error class for the Discord layer; mapped to a moderator-facing message in interactions/errors.ts. */
export class DiscordApiError extends Error {
  override readonly name = 'DiscordApiError';
  readonly kind: DiscordFailureKind;
  readonly method: string;
  /** The route with ids, never the token-bearing webhook path (see `redactPath`). */
  readonly route: string;
  readonly status: number;
  /** Discord's JSON error code (`RESTJSONErrorCodes`: UnknownMember, MissingPermissions…); 0 when none. */
  readonly code: number;
  readonly discordMessage: string;
  readonly retryAfterSeconds: number | null;

  constructor(fields: {
    kind: DiscordFailureKind;
    method: string;
    route: string;
    status: number;
    code: number;
    discordMessage: string;
    retryAfterSeconds?: number | null;
  }) {
    const { kind, method, route, status, code, discordMessage } = fields;
    super(
      `${method} ${route} failed: ${kind === 'http' ? `HTTP ${status} code ${code} ${discordMessage}` : kind}`,
    );
    this.kind = kind;
    this.method = method;
    this.route = route;
    this.status = status;
    this.code = code;
    this.discordMessage = discordMessage;
    this.retryAfterSeconds = fields.retryAfterSeconds ?? null;
  }

  /** Whether Discord may have carried the request out although we saw no success. */
  get outcomeUnknown(): boolean {
    return this.kind !== 'http' || this.status >= 500;
  }
}

/** Webhook and interaction tokens sit in the path; they must never reach a log or an error. */
export function redactPath(path: string): string {
  return path.replace(/^\/webhooks\/(\d+)\/[^/?]+/, '/webhooks/$1/:token');
}

export interface DiscordRequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  /** Sent as X-Audit-Log-Reason (truncated to Discord's 512 characters, URL-encoded). */
  auditLogReason?: string;
  /** Webhook-token routes take no bot token. */
  auth?: boolean;
  timeoutMs?: number;
  /** The most this call waits for rate limits before it is sent (default: the client's). */
  maxWaitMs?: number;
}

export interface DiscordRest {
  request<T>(method: string, path: string, options?: DiscordRequestOptions): Promise<T>;
}

/** A 429 Discord answered (the client waited it out or passed it on). */
export interface RateLimitedEvent {
  method: string;
  route: string;
  scope: RateLimitScope | null;
  global: boolean;
  retryAfterMs: number;
}

export interface DiscordRestConfig {
  apiBase: string;
  botToken: string;
  timeoutMs?: number;
  /** Sends the requests (default: the global fetch); the scheduler passes one that counts them. */
  fetch?: typeof fetch;
  /** The budget shared with every other consumer of the bot token; none: calls go unpaced. */
  budget?: GlobalBudget;
  /** Route buckets as the headers told them; share one per process (default: this client's own). */
  buckets?: RouteBuckets;
  maxWaitMs?: number;
  onRateLimited?: (event: RateLimitedEvent) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Resolves with the budget's wait, or null when Redis failed or timed out: a budget outage must not
 * stop moderation, so the call goes unpaced (Discord's 429s are still obeyed).
 */
async function reserveSlot(budget: GlobalBudget, maxWaitMs: number): Promise<number | null> {
  try {
    return await budget.reserve(maxWaitMs);
  } catch (error) {
    if (error instanceof GlobalBudgetBusyError) throw error;
    return null;
  }
}

export function createDiscordRest(config: DiscordRestConfig): DiscordRest {
  const apiBase = config.apiBase.replace(/\/+$/, '');
  const sendRequest = config.fetch ?? ((input, init) => fetch(input, init));
  const buckets = config.buckets ?? new RouteBuckets();
  const now = config.now ?? Date.now;
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function send<T>(
    method: string,
    path: string,
    options: DiscordRequestOptions,
    call: { startedAt: number; retried: boolean; slotHeld: boolean },
  ): Promise<T> {
    const route = redactPath(path);
    const bot = options.auth !== false;
    const allowanceMs = options.maxWaitMs ?? config.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const waitLeft = () => Math.max(0, allowanceMs - (now() - call.startedAt));
    const heldBack = (retryAfterMs: number, why: string) =>
      new DiscordApiError({
        kind: 'http',
        method,
        route,
        status: 429,
        code: 0,
        discordMessage: `not sent: ${why}`,
        retryAfterSeconds: retryAfterMs / 1000,
      });

    // The route's bucket first (it may sleep), then the global slot, so a slot is not spent waiting.
    for (let ms = buckets.reserve(method, path, now()); ms > 0; ms = buckets.reserve(method, path, now())) {
      const decision = decideWait(ms, waitLeft());
      if (decision.kind === 'fail') throw heldBack(decision.retryAfterMs, 'the route is rate limited');
      await sleep(decision.ms);
    }
    if (bot && config.budget && !call.slotHeld) {
      let wait: number | null;
      try {
        wait = await reserveSlot(config.budget, waitLeft());
      } catch (error) {
        const retryAfterMs = (error as GlobalBudgetBusyError).retryAfterMs;
        throw heldBack(retryAfterMs, 'the shared Discord budget is full');
      }
      if (wait) await sleep(wait);
    }
    const headers: Record<string, string> = {
      'user-agent': 'DiscordBot (https://github.com/lockdown-bot, 0.1)',
    };
    if (options.auth !== false) headers.authorization = `Bot ${config.botToken}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.auditLogReason) {
      headers['x-audit-log-reason'] = encodeURIComponent(
        truncate(options.auditLogReason, AUDIT_REASON_LIMIT),
      );
    }
    const url = new URL(apiBase + path);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);

    let response: Response;
    try {
      response = await sendRequest(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? config.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new DiscordApiError({
        kind: timedOut ? 'timeout' : 'network',
        method,
        route,
        status: 0,
        code: 0,
        discordMessage: timedOut ? 'timed out' : 'unreachable',
      });
    }
    buckets.update(method, path, readRateLimit(response.status, response.headers), now());
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }

    const text = await response.text().catch(() => '');
    let body: { code?: number; message?: string; retry_after?: number; global?: boolean } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Discord's edge answers some 5xx with HTML; the status says enough.
    }
    let retryAfter: number | null = null;
    if (response.status === 429) {
      const limit = readRateLimit(429, response.headers, body);
      const retryAfterMs = limit.retryAfterMs ?? 1_000;
      retryAfter = retryAfterMs / 1000;
      config.onRateLimited?.({ method, route, scope: limit.scope, global: limit.global, retryAfterMs });
      let slotHeld = false;
      if (limit.global && bot && config.budget) {
        // Everyone pauses, not only this call; the hold keeps the first slot after it for the retry.
        slotHeld = await config.budget.hold(retryAfterMs).then(
          () => true,
          () => false,
        );
      } else if (!limit.global) {
        buckets.hold(method, path, retryAfterMs, now());
      }
      if (!call.retried && decideWait(retryAfterMs, waitLeft()).kind === 'wait') {
        // A route's hold is waited out by the bucket; a global one here.
        if (limit.global) await sleep(retryAfterMs);
        return send(method, path, options, { startedAt: call.startedAt, retried: true, slotHeld });
      }
    }
    throw new DiscordApiError({
      kind: 'http',
      method,
      route,
      status: response.status,
      code: body.code ?? 0,
      discordMessage: body.message ?? response.statusText,
      retryAfterSeconds: retryAfter,
    });
  }

  return {
    request: (method, path, options = {}) =>
      send(method, path, options, { startedAt: now(), retried: false, slotHeld: false }),
  };
}
