// Discord calls for the relay: webhook execute (POST ?wait=true, to learn the message id), edit a
// message (PATCH) — both with `with_components=true` when they carry buttons — and, with the bot
// token when one is configured, Get Channel Messages (to tell whether a send whose outcome is
// unknown reached the channel). Webhook execute has no nonce (Discord's `nonce` / `enforce_nonce`
// exist only on bot Create Message), so a retry after a timeout, a dropped connection or a 5xx first
// asks CallOptions.confirm whether the message is already there. Every call goes to
// `${apiBase}/webhooks/{id}/{token}` (never a stored `url`), has a timeout, waits for the rate
// limiter, obeys 429s, and retries 5xx and network errors with growing, jittered delays. Answers
// that retrying cannot fix (invalid webhook, bad payload) come back at once.
// The token is a secret: it appears in the request URL only, never in an outcome, error or log line.
import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { readRateLimit } from '../../shared/discord-rate-limits.ts';
import { sleep } from '../time.ts';
import { RateLimiter, retryDelay } from './rate-limits.ts';

export interface WebhookRef {
  id: string;
  token: string;
}

export interface WebhookMessageBody {
  embeds: APIEmbed[];
  allowed_mentions: APIAllowedMentions;
  /**
   * Buttons and menus: sent with `with_components=true` (Discord ignores `components` on a webhook
   * not made by the application without it, and refuses interactive ones on such a webhook with it).
   */
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** The query a webhook message call carries for its body's components. */
const componentsQuery = (body: WebhookMessageBody) => (body.components ? 'with_components=true' : '');

export interface RetryPolicy {
  /** First retry delay; doubles per attempt up to `maxMs`, with jitter. */
  baseMs: number;
  maxMs: number;
  /** Attempts for 5xx and network errors before giving up (429s are waited out, not counted). */
  maxAttempts: number;
}

export type WebhookOutcome =
  | { kind: 'ok'; status: number; messageId: string | null }
  /** The webhook is gone (404, UnknownWebhook) or its token is refused (401 InvalidWebhookToken, 403). */
  | { kind: 'invalid_webhook'; status: number; code: number; detail: string }
  /** The message to edit is gone (404, UnknownMessage). */
  | { kind: 'unknown_message'; status: number; code: number; detail: string }
  /** Discord refused the payload (400 and other 4xx): sending it again would fail again. */
  | { kind: 'bad_request'; status: number; code: number; detail: string }
  | { kind: 'gave_up'; attempts: number; detail: string }
  /** Shutdown interrupted a wait before the request was sent: nothing was delivered. */
  | { kind: 'stopped' }
  /** The caller's `confirm` chose not to repeat an attempt whose outcome is unknown (see ABANDON). */
  | { kind: 'abandoned'; detail: string };

/** What `confirm` answers to stop a call instead of repeating it: the caller sorts out what was sent. */
export const ABANDON = Symbol('abandon');

type Classified =
  | { kind: 'ok' }
  | { kind: 'rate_limited' }
  | { kind: 'retry' }
  | { kind: 'invalid_webhook' | 'unknown_message' | 'bad_request' };

/** What an answer means for the relay. */
export function classifyResponse(status: number, code: number | null): Classified {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429) return { kind: 'rate_limited' };
  if (status >= 500 || status === 408) return { kind: 'retry' };
  if (status === 404 && code === RESTJSONErrorCodes.UnknownMessage) return { kind: 'unknown_message' };
  if (status === 404 || status === 401 || status === 403) return { kind: 'invalid_webhook' };
  return { kind: 'bad_request' };
}

/** Metrics hook: one call per HTTP attempt. */
export interface AttemptInfo {
  route: 'execute' | 'edit' | 'messages';
  /** HTTP status, or "network" / "timeout" when no answer came. */
  status: number | 'network' | 'timeout';
  durationMs: number;
}

export interface WebhookClientOptions {
  /** e.g. https://discord.com/api/v10 (DISCORD_API_BASE). */
  apiBase: string;
  /** DISCORD_BOT_TOKEN: lets the relay read the mod-log channel. A secret: never logged. */
  botToken?: string;
  /** Per request, body included. */
  timeoutMs?: number;
  limiter?: RateLimiter;
  fetch?: typeof fetch;
  random?: () => number;
  /** 429s in a row for one call before giving up (Discord's retry_after is obeyed each time). */
  maxRateLimitedRetries?: number;
  onAttempt?: (info: AttemptInfo) => void;
  /** Called while a request waits for the limiter (metrics). */
  onWait?: (reason: string, ms: number) => void;
}

export interface CallOptions {
  retry: RetryPolicy;
  /** Aborts waits (limiter, backoff) for shutdown; a request already sent is let finish. */
  signal?: AbortSignal;
  /**
   * Called before repeating a request whose outcome is unknown (timeout, dropped connection, 5xx):
   * a message id when the first attempt did reach Discord (the call then ends as ok with it), null to
   * repeat it, ABANDON to end the call as `abandoned` without repeating it.
   */
  confirm?: (sinceMs: number) => Promise<string | null | typeof ABANDON>;
  /** Per-call metrics hooks, in addition to the client's own. */
  onAttempt?: (info: AttemptInfo) => void;
  onWait?: (reason: string, ms: number) => void;
}

const userAgent = 'DiscordBot (https://github.com/lockdown-bot/lockdown, 0.1.0) lockdown-relay';

export class WebhookClient {
  readonly apiBase: string;
  readonly limiter: RateLimiter;
  readonly #timeoutMs: number;
  readonly #botToken: string | null;
  readonly #fetch: typeof fetch;
  readonly #random: () => number;
  readonly #max429: number;
  readonly #onAttempt: ((info: AttemptInfo) => void) | undefined;
  readonly #onWait: ((reason: string, ms: number) => void) | undefined;

  constructor(options: WebhookClientOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.limiter = options.limiter ?? new RateLimiter();
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#botToken = options.botToken?.trim() || null;
    this.#fetch = options.fetch ?? fetch;
    this.#random = options.random ?? Math.random;
    this.#max429 = options.maxRateLimitedRetries ?? 50;
    this.#onAttempt = options.onAttempt;
    this.#onWait = options.onWait;
  }

  /** Posts a message and waits for it (`?wait=true`), so the outcome carries its id. */
  execute(webhook: WebhookRef, body: WebhookMessageBody, options: CallOptions): Promise<WebhookOutcome> {
    const query = ['wait=true', componentsQuery(body)].filter(Boolean).join('&');
    return this.#call('execute', 'POST', webhook, `?${query}`, body, options);
  }

  /**
   * Get Channel Messages with the bot token: up to 100 messages after a snowflake (or, with
   * `around`, the few around one), or why not (no bot token, no access, an error). One attempt: the
   * caller decides what an unreadable channel means.
   */
  async channelMessages(
    channelId: string,
    after: string,
    signal?: AbortSignal,
    anchor: 'after' | 'around' = 'after',
  ): Promise<{ kind: 'ok'; messages: ChannelMessage[] } | { kind: 'unreadable'; detail: string }> {
    if (!this.#botToken) return { kind: 'unreadable', detail: 'no bot token configured' };
    const key = `channel:${channelId}:messages`;
    if (!(await this.#acquire(key, signal, this.#onWait ?? (() => {}))))
      return { kind: 'unreadable', detail: 'stopped' };
    const query = anchor === 'after' ? `after=${after}&limit=100` : `around=${after}&limit=3`;
    const url = `${this.apiBase}/channels/${encodeURIComponent(channelId)}/messages?${query}`;
    const started = Date.now();
    try {
      const response = await this.#fetch(url, {
        headers: { authorization: `Bot ${this.#botToken}`, 'user-agent': userAgent },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const text = await response.text();
      this.#onAttempt?.({ route: 'messages', status: response.status, durationMs: Date.now() - started });
      const json = parseJson(text);
      this.limiter.update(
        key,
        response.status,
        readRateLimit(response.status, response.headers, json, Date.now()),
      );
      if (response.ok) {
        const list: unknown = JSON.parse(text);
        return { kind: 'ok', messages: Array.isArray(list) ? (list as ChannelMessage[]) : [] };
      }
      const code = typeof json?.code === 'number' ? ` (code ${json.code})` : '';
      return { kind: 'unreadable', detail: `Discord answered ${response.status}${code}` };
    } catch (error) {
      this.#onAttempt?.({ route: 'messages', status: 'network', durationMs: Date.now() - started });
      return { kind: 'unreadable', detail: redact(`network error: ${describe(error)}`, this.#botToken) };
    }
  }

  /** Replaces the embeds (and, when given, the components) of a message the webhook posted. */
  editMessage(
    webhook: WebhookRef,
    messageId: string,
    body: WebhookMessageBody,
    options: CallOptions,
  ): Promise<WebhookOutcome> {
    const query = componentsQuery(body);
    const suffix = `/messages/${encodeURIComponent(messageId)}${query ? `?${query}` : ''}`;
    return this.#call('edit', 'PATCH', webhook, suffix, body, options);
  }

  async #call(
    route: AttemptInfo['route'],
    method: string,
    webhook: WebhookRef,
    suffix: string,
    body: WebhookMessageBody,
    { retry, signal, confirm, onAttempt: callAttempt, onWait: callWait }: CallOptions,
  ): Promise<WebhookOutcome> {
    const onAttempt = (info: AttemptInfo) => {
      this.#onAttempt?.(info);
      callAttempt?.(info);
    };
    const onWait = (reason: string, ms: number) => {
      this.#onWait?.(reason, ms);
      callWait?.(reason, ms);
    };
    const url = `${this.apiBase}/webhooks/${encodeURIComponent(webhook.id)}/${encodeURIComponent(webhook.token)}${suffix}`;
    const payload = JSON.stringify(body);
    const key = `webhook:${webhook.id}`;
    let failures = 0;
    let limited = 0;
    let lastDetail = '';
    /** When an attempt whose outcome is unknown was sent (null: none so far). */
    let unknownSince: number | null = null;
    for (;;) {
      if (!(await this.#acquire(key, signal, onWait))) return { kind: 'stopped' };
      if (unknownSince !== null && confirm) {
        const messageId = await confirm(unknownSince);
        if (messageId === ABANDON)
          return { kind: 'abandoned', detail: 'not repeated (the caller abandoned it)' };
        if (messageId) return { kind: 'ok', status: 200, messageId };
      }
      const started = Date.now();
      let status: number;
      let headers: Headers;
      let text: string;
      try {
        const response = await this.#fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'user-agent': userAgent },
          body: payload,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        status = response.status;
        headers = response.headers;
        text = await response.text();
      } catch (error) {
        const timedOut =
          error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        onAttempt({ route, status: timedOut ? 'timeout' : 'network', durationMs: Date.now() - started });
        unknownSince ??= started;
        failures++;
        lastDetail = redact(
          timedOut ? `no answer within ${this.#timeoutMs} ms` : `network error: ${describe(error)}`,
          webhook.token,
        );
        if (failures >= retry.maxAttempts) return { kind: 'gave_up', attempts: failures, detail: lastDetail };
        if (!(await sleep(retryDelay(failures, retry.baseMs, retry.maxMs, this.#random), signal)))
          return { kind: 'stopped' };
        continue;
      }
      onAttempt({ route, status, durationMs: Date.now() - started });
      const json = parseJson(text);
      const code = typeof json?.code === 'number' ? json.code : null;
      this.limiter.update(key, status, readRateLimit(status, headers, json, Date.now()));
      const verdict = classifyResponse(status, code);
      const detail = redact(
        `Discord answered ${status}${code !== null ? ` (code ${code})` : ''}${
          typeof json?.message === 'string' ? `: ${json.message}` : ''
        }`,
        webhook.token,
      );
      switch (verdict.kind) {
        case 'ok':
          return { kind: 'ok', status, messageId: typeof json?.id === 'string' ? json.id : null };
        case 'rate_limited':
          limited++;
          lastDetail = detail;
          if (limited > this.#max429) return { kind: 'gave_up', attempts: failures + limited, detail };
          continue; // the limiter now holds the route (or everything) closed for retry_after
        case 'retry':
          unknownSince ??= started;
          failures++;
          lastDetail = detail;
          if (failures >= retry.maxAttempts)
            return { kind: 'gave_up', attempts: failures, detail: lastDetail };
          if (!(await sleep(retryDelay(failures, retry.baseMs, retry.maxMs, this.#random), signal))) {
            return { kind: 'stopped' };
          }
          continue;
        default:
          return { kind: verdict.kind, status, code: code ?? 0, detail };
      }
    }
  }

  async #acquire(
    key: string,
    signal: AbortSignal | undefined,
    onWait: (reason: string, ms: number) => void,
  ): Promise<boolean> {
    for (;;) {
      if (signal?.aborted) return false;
      const { ms, reason } = this.limiter.wait(key);
      if (ms <= 0) {
        this.limiter.take(key);
        return true;
      }
      onWait(reason ?? 'route', ms);
      if (!(await sleep(ms, signal))) return false;
    }
  }
}

/** What the relay reads of a channel message. */
export interface ChannelMessage {
  id: string;
  webhook_id?: string;
  embeds?: APIEmbed[];
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const why =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return why ? `${error.message} (${why})` : error.message;
}

/** Removes a secret from text bound for logs, errors or the dead-letter store. */
export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[token]') : text;
}
