// Discord's rate limits as pure bucket arithmetic over an injected clock: fixed windows that open at
// the first request, the global per-token limit, per-route buckets keyed by their top-level resource,
// shared per-resource limits, and the headers and 429 bodies Discord sends for each.
import { createHash } from 'node:crypto';

export type RateLimitScope = 'user' | 'global' | 'shared';

export interface BucketRule {
  /** Names the route group; hashed into the opaque X-RateLimit-Bucket value. */
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * The numbers. Discord publishes only the global limit (50 requests a second per bot) and says
 * per-route numbers change and must be read from headers; the rest are what Discord's headers have
 * shown over the years and what client libraries assume:
 * - webhook execution: 5 per 2 s per webhook, and 30 messages per minute per channel (shared);
 * - bans and unbans, kicks: 5 per second per guild (Discord wants raids to be handled fast);
 * - Modify Guild Member (timeouts): 10 per 10 s per guild;
 * - Create Message: 5 per 5 s per channel, Delete Message: 5 per second per channel;
 * - Bulk Delete Messages: 1 per second per guild, the figure Discord gave when it added the route
 *   (discord-api-docs#40, "one call per second per server");
 * - interaction responses and follow-ups: 5 per 2 s per interaction token, outside the global limit;
 * - Bulk Guild Ban: no figure is published and Discord calls it strict; 1 per second per guild here
 *   (200 users a call, so a 1,000-user massban takes at least 5 s and must follow retry_after);
 * - Edit/Delete Channel Permissions: 5 per 5 s per channel (no published figure; a server lockdown
 *   across many channels is then held back by the global limit, as client libraries observe);
 * - Modify Channel: 10 per 10 s per channel (Discord additionally allows only 2 name or topic
 *   changes per 10 minutes per channel, which the stand-in does not model);
 * - Get Guild Audit Log: no published figure; 5 per 5 s per guild here (a guess in line with the
 *   other moderation buckets: paging 250 new entries takes 3 calls, well inside it, while a client
 *   polling one guild in a tight loop is held back);
 * - everything else (reads, DMs, webhook management, commands): 50 per second per route and
 *   resource, so in practice only the global limit bites, but clients still see headers.
 */
export const rules = {
  global: { name: 'global', limit: 50, windowMs: 1000 },
  webhookExecute: { name: 'POST /webhooks/{webhook.id}/{webhook.token}', limit: 5, windowMs: 2000 },
  webhookChannel: { name: 'shared: webhook messages per channel', limit: 30, windowMs: 60_000 },
  webhookMessage: {
    name: '/webhooks/{webhook.id}/{webhook.token}/messages/{message.id}',
    limit: 5,
    windowMs: 2000,
  },
  interaction: { name: '/webhooks/{application.id}/{interaction.token}', limit: 5, windowMs: 2000 },
  banWrite: { name: 'PUT|DELETE /guilds/{guild.id}/bans/{user.id}', limit: 5, windowMs: 1000 },
  kick: { name: 'DELETE /guilds/{guild.id}/members/{user.id}', limit: 5, windowMs: 1000 },
  memberModify: { name: 'PATCH /guilds/{guild.id}/members/{user.id}', limit: 10, windowMs: 10_000 },
  messageCreate: { name: 'POST /channels/{channel.id}/messages', limit: 5, windowMs: 5000 },
  messageDelete: { name: 'DELETE /channels/{channel.id}/messages/{message.id}', limit: 5, windowMs: 1000 },
  bulkDelete: { name: 'POST /channels/{channel.id}/messages/bulk-delete', limit: 1, windowMs: 1000 },
  bulkBan: { name: 'POST /guilds/{guild.id}/bulk-ban', limit: 1, windowMs: 1000 },
  overwrite: {
    name: 'PUT|DELETE /channels/{channel.id}/permissions/{overwrite.id}',
    limit: 5,
    windowMs: 5000,
  },
  channelModify: { name: 'PATCH /channels/{channel.id}', limit: 10, windowMs: 10_000 },
  auditLogRead: { name: 'GET /guilds/{guild.id}/audit-logs', limit: 5, windowMs: 5000 },
} as const satisfies Record<string, BucketRule>;

/** A generous bucket for routes Discord limits loosely; one per route so each has its own hash. */
export function defaultRule(route: string): BucketRule {
  return { name: route, limit: 50, windowMs: 1000 };
}

export interface WindowState {
  count: number;
  resetAt: number;
}

/** The window in force at `now`: a fresh one once the previous has run out. */
export function currentWindow(state: WindowState | undefined, rule: BucketRule, now: number): WindowState {
  if (!state || now >= state.resetAt) return { count: 0, resetAt: now + rule.windowMs };
  return state;
}

export function hasRoom(state: WindowState, rule: BucketRule): boolean {
  return state.count < rule.limit;
}

export function bucketHash(rule: BucketRule): string {
  return createHash('sha256').update(rule.name).digest('hex').slice(0, 32);
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** The X-RateLimit-* headers for a bucket as it stands. */
export function bucketHeaders(rule: BucketRule, state: WindowState, now: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rule.limit),
    'x-ratelimit-remaining': String(Math.max(0, rule.limit - state.count)),
    'x-ratelimit-reset': seconds(state.resetAt),
    'x-ratelimit-reset-after': seconds(state.resetAt - now),
    'x-ratelimit-bucket': bucketHash(rule),
  };
}

export interface RateLimitedBody {
  message: string;
  retry_after: number;
  global: boolean;
}

/** Discord's 429: body with fractional retry_after, Retry-After in whole seconds, and the scope. */
export function rateLimitedResponse(
  scope: RateLimitScope,
  retryAfterMs: number,
): { body: RateLimitedBody; headers: Record<string, string> } {
  const retryAfter = Math.round(Math.max(0, retryAfterMs)) / 1000;
  const headers: Record<string, string> = {
    'retry-after': String(Math.ceil(retryAfter)),
    'x-ratelimit-scope': scope,
  };
  if (scope === 'global') headers['x-ratelimit-global'] = 'true';
  return {
    body: {
      message: scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.',
      retry_after: retryAfter,
      global: scope === 'global',
    },
    headers,
  };
}

export interface BucketRef {
  /** Unique per rule and resource, e.g. `banWrite:<guild id>`. */
  key: string;
  rule: BucketRule;
}

export interface RateLimitRequest {
  /** The bot token's key, or null for requests outside the global limit (webhook tokens, interactions). */
  global: BucketRef | null;
  route: BucketRef | null;
  shared: BucketRef[];
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; scope: RateLimitScope; headers: Record<string, string>; body: RateLimitedBody };

/** Holds every bucket; a request is counted only when all its buckets have room, so a 429 changes nothing. */
export class RateLimiter {
  readonly #windows = new Map<string, WindowState>();
  readonly #now: () => number;
  #takesSincePrune = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  take(request: RateLimitRequest): RateLimitDecision {
    const now = this.#now();
    this.#forgetExpired(now);
    const view = (ref: BucketRef) => currentWindow(this.#windows.get(ref.key), ref.rule, now);

    const refuse = (scope: RateLimitScope, state: WindowState, headers: Record<string, string>) => {
      const limited = rateLimitedResponse(scope, state.resetAt - now);
      return {
        allowed: false,
        scope,
        headers: { ...headers, ...limited.headers },
        body: limited.body,
      } as const;
    };

    if (request.global) {
      const state = view(request.global);
      if (!hasRoom(state, request.global.rule)) return refuse('global', state, {});
    }
    const routeState = request.route ? view(request.route) : null;
    const routeHeaders =
      request.route && routeState ? bucketHeaders(request.route.rule, routeState, now) : {};
    if (request.route && routeState && !hasRoom(routeState, request.route.rule)) {
      return refuse('user', routeState, routeHeaders);
    }
    for (const ref of request.shared) {
      const state = view(ref);
      if (!hasRoom(state, ref.rule)) return refuse('shared', state, routeHeaders);
    }

    for (const ref of [request.global, request.route, ...request.shared]) {
      if (!ref) continue;
      const state = view(ref);
      this.#windows.set(ref.key, { count: state.count + 1, resetAt: state.resetAt });
    }
    if (!request.route) return { allowed: true, headers: {} };
    const after = view(request.route);
    return { allowed: true, headers: bucketHeaders(request.route.rule, after, now) };
  }

  /** A long-lived stand-in sees many guilds and webhooks; spent windows are dropped now and then. */
  #forgetExpired(now: number): void {
    if (++this.#takesSincePrune < 1000) return;
    this.#takesSincePrune = 0;
    for (const [key, state] of this.#windows) if (now >= state.resetAt) this.#windows.delete(key);
  }
}
