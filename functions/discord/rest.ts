// The Worker's Discord REST client: every call goes to DISCORD_API_BASE with the bot token, a
// timeout, an optional audit-log reason, and Discord's JSON errors turned into DiscordApiError.
import { truncate } from '../../shared/embed-fit.ts';

/** Discord's limit for X-Audit-Log-Reason, counted before URL encoding. */
const AUDIT_REASON_LIMIT = 512;
const DEFAULT_TIMEOUT_MS = 4_000;
/** A 429 asking us to wait less than this is retried once in place; longer waits go back to the moderator. */
const MAX_INLINE_RETRY_AFTER_S = 1;

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
}

export interface DiscordRest {
  request<T>(method: string, path: string, options?: DiscordRequestOptions): Promise<T>;
}

export function createDiscordRest(config: {
  apiBase: string;
  botToken: string;
  timeoutMs?: number;
  /** Sends the requests (default: the global fetch); the scheduler passes one that counts them. */
  fetch?: typeof fetch;
}): DiscordRest {
  const apiBase = config.apiBase.replace(/\/+$/, '');
  const sendRequest = config.fetch ?? ((input, init) => fetch(input, init));

  async function send<T>(
    method: string,
    path: string,
    options: DiscordRequestOptions,
    retried: boolean,
  ): Promise<T> {
    const route = redactPath(path);
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
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }

    const text = await response.text().catch(() => '');
    let body: { code?: number; message?: string; retry_after?: number } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Discord's edge answers some 5xx with HTML; the status says enough.
    }
    const retryAfter =
      response.status === 429 ? Number(body.retry_after ?? response.headers.get('retry-after') ?? 1) : null;
    if (retryAfter !== null && !retried && retryAfter <= MAX_INLINE_RETRY_AFTER_S) {
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      return send(method, path, options, true);
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

  return { request: (method, path, options = {}) => send(method, path, options, false) };
}
