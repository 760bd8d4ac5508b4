// The Discord stand-in's HTTP layer: serves Discord's REST API under /api/v10, the sandbox control
// API under /__sandbox, and uploaded attachments at Discord's CDN paths (/attachments/…). For each
// REST request it records it, applies any injected fault, answers 404 / 405 / 401 as Discord does,
// enforces rate limits, checks ids, JSON and the audit-log reason, then runs the route. It also
// serves Discord's OAuth2 authorize page at /oauth2/authorize, where Discord has it (rest/oauth2-authorize.ts). Start one with startDiscordStandIn and point DISCORD_API_BASE at `apiBase`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { listen, stopListening } from '../net.ts';
import { ATTACHMENT_PATH, AttachmentStore } from './attachments.ts';
import { createControlRouter } from './control-api.ts';
import { ApiError, apiError, edgeResponse, invalidFormBody, statusError } from './errors.ts';
import { FaultBook } from './faults.ts';
import { RateLimiter, rateLimitedResponse, rules } from './rate-limits.ts';
import { RequestLog } from './request-log.ts';
import { oauthBook } from './rest/oauth2.ts';
import { answerAuthorize } from './rest/oauth2-authorize.ts';
import { createRestRouter, snowflakeParams } from './rest-api.ts';
import { DiscordState } from './state.ts';
import type { FaultSpec } from './types.ts';

export type { UiAction, UiActionName } from './ui-actions.ts';

import { decodeAuditLogReason, isSnowflake, snowflakeErrors } from './validation.ts';

export type {
  AttachmentUpload,
  DetectionsRequest,
  FaultSpec,
  GuildSeed,
  GuildSnapshot,
  InteractionMessage,
  RaidRequest,
  RaidResult,
  RecordedRequest,
  SandboxChannel,
  SandboxMessage,
  SeedChannel,
  SeedMember,
  SeedOverwrite,
  SeedRole,
  SeedUser,
  SeedWebhook,
} from './types.ts';

export interface DiscordStandInOptions {
  /** Accepted as `Authorization: Bot <token>`. */
  botToken: string;
  /** The application's id, which is also the bot user's id. */
  applicationId: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Default true: enforce Discord's limits. False never answers 429 and sends no rate-limit headers
   * (benchmarks, shared test stand-ins), except on the routes of guilds a test turned them on for
   * (control API `PUT /guilds/{id}/rate-limits`): their route and shared buckets, not the token's
   * global limit, which would count every other test's requests too.
   */
  rateLimits?: boolean;
  /** Clock for rate limits and the request log, default Date.now. */
  now?: () => number;
  /**
   * Extra pages outside /api/v10 and /__sandbox (the sandbox web page, dev/sandbox/): called first
   * for every other path; answer and return true, or return false to let the stand-in answer 404.
   */
  pages?: PageHandler;
  /** The application's OAuth2 client secret (POST /oauth2/token), default 'local-client-secret'. */
  clientSecret?: string;
  /** The OAuth2 redirect URIs registered for the application: authorize accepts only these, exactly. */
  oauthRedirectUris?: string[];
}

export type PageHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface DiscordStandIn {
  /** e.g. http://127.0.0.1:PORT/api/v10: what DISCORD_API_BASE is set to. */
  apiBase: string;
  /** e.g. http://127.0.0.1:PORT/__sandbox */
  controlUrl: string;
  port: number;
  /** Stops the server and drops every connection, hanging ones included. */
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';
/** Discord's authorize page is on the site (discord.com/oauth2/authorize), not under the API. */
const OAUTH_AUTHORIZE_PATH = '/oauth2/authorize';
const CONTROL_PREFIX = '/__sandbox';
/** Discord refuses bodies past its upload limit with 413 / 40005; JSON bodies never come close. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Serialized body; undefined for 204. */
  body?: string;
}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  status === 204
    ? { status, headers }
    : { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };

const errorReply = (error: ApiError, headers: Record<string, string> = {}): Reply =>
  jsonReply(error.status, error.body, headers);

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

type ParsedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: URLSearchParams }
  | { kind: 'invalid' };

function parseBody(text: string, contentType = ''): ParsedBody {
  if (text.trim() === '') return { kind: 'none' };
  // OAuth2's token exchange is form-encoded, as Discord requires.
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'form', value: new URLSearchParams(text) };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer an injected fault gives, shaped as Discord's edge gives it for that status. */
function faultReply(fault: FaultSpec): Reply {
  if (fault.status === 429) {
    const limited = rateLimitedResponse(fault.global ? 'global' : 'user', (fault.retryAfter ?? 1) * 1000);
    const body = {
      ...limited.body,
      ...(fault.message !== undefined ? { message: fault.message } : {}),
      ...(fault.code !== undefined ? { code: fault.code } : {}),
    };
    return jsonReply(429, body, limited.headers);
  }
  const raw = edgeResponse(fault.status, {
    ...(fault.code !== undefined ? { code: fault.code } : {}),
    ...(fault.message !== undefined ? { message: fault.message } : {}),
  });
  return { status: raw.status, headers: { 'content-type': raw.contentType }, body: raw.body };
}

export async function startDiscordStandIn(options: DiscordStandInOptions): Promise<DiscordStandIn> {
  const now = options.now ?? Date.now;
  const enforceRateLimits = options.rateLimits ?? true;
  const state = new DiscordState(options.applicationId);
  const log = new RequestLog();
  const faults = new FaultBook();
  const limiter = new RateLimiter(now);
  const rateLimitedGuilds = new Set<string>();
  const restRouter = createRestRouter(state);
  const attachments = new AttachmentStore();
  let origin = '';
  const controlRouter = createControlRouter({
    state,
    log,
    faults,
    attachments,
    origin: () => origin,
    rateLimitedGuilds,
  });
  const botAuthorization = `Bot ${options.botToken}`;
  const oauth = oauthBook(state);
  oauth.now = now;
  if (options.clientSecret) oauth.clientSecret = options.clientSecret;
  for (const uri of options.oauthRedirectUris ?? []) oauth.redirectUris.add(uri);

  /** Everything between "the request arrived" and "this is the answer", for one REST request. */
  function answerRest(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: ParsedBody,
  ): Reply {
    const lookup = restRouter.lookup(method, path);
    if (lookup.kind === 'not-found') return errorReply(statusError(404));
    if (lookup.kind === 'method-not-allowed') return errorReply(statusError(405));
    const { route, params } = lookup;

    const authorized = headers.authorization === botAuthorization;
    // A user's Bearer token opens only the routes that take one; bot routes refuse it with 401.
    const bearer =
      route.auth === 'bot-or-bearer' && !authorized && oauth.bearer(headers.authorization) !== null;
    if ((route.auth === 'bot' || route.auth === 'bot-or-bearer') && !authorized && !bearer) {
      return errorReply(statusError(401));
    }

    let rateLimitHeaders: Record<string, string> = {};
    const guildLimited = params.guild_id !== undefined && rateLimitedGuilds.has(params.guild_id);
    if (enforceRateLimits || guildLimited) {
      const limits = route.limits(params);
      const decision = limiter.take({
        global:
          limits.global && enforceRateLimits
            ? { key: `global|${bearer ? headers.authorization : options.botToken}`, rule: rules.global }
            : null,
        route: limits.route,
        shared: limits.shared,
      });
      if (!decision.allowed) return jsonReply(429, decision.body, decision.headers);
      rateLimitHeaders = decision.headers;
    }

    try {
      for (const [name, value] of snowflakeParams(params)) {
        if (!isSnowflake(value)) throw invalidFormBody(snowflakeErrors(name, value));
      }
      if (body.kind === 'invalid') throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
      if (body.kind === 'form' && route.auth !== 'client') {
        throw apiError(RESTJSONErrorCodes.RequestBodyContainsInvalidJSON);
      }
      const audit = decodeAuditLogReason(headers['x-audit-log-reason']);
      if (route.auditLog && audit.errors) throw invalidFormBody(audit.errors);
      const result = route.handle({
        method,
        params,
        query,
        body: body.kind === 'json' ? body.value : undefined,
        auditLogReason: route.auditLog ? audit.reason : null,
        authorization: headers.authorization,
        form: body.kind === 'form' ? body.value : null,
      });
      return jsonReply(result.status, result.body, rateLimitHeaders);
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error, rateLimitHeaders);
      console.error('[discord stand-in] route failed', method, path, error);
      return errorReply(statusError(500), rateLimitHeaders);
    }
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const inApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = inApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const headers = headerRecord(req);
    const raw = await readBody(req);
    const body = parseBody(raw.text, headers['content-type']);
    const recorded = log.record({
      at: now(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      auditLogReason: decodeAuditLogReason(headers['x-audit-log-reason']).reason,
      body: body.kind === 'json' ? body.value : null,
    });
    const send = (reply: Reply) => {
      recorded.status = reply.status;
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    };

    const fault = inApi ? faults.take(method, path) : null;
    if (fault && !fault.passThrough) {
      // Status 0: never answer; the socket stays open until the client gives up or we close.
      if (fault.status === 0) return;
      if (fault.delayMs) await sleep(fault.delayMs);
      return send(faultReply(fault));
    }

    let reply: Reply;
    if (!inApi) reply = errorReply(statusError(404));
    else if (raw.tooLarge) reply = errorReply(apiError(RESTJSONErrorCodes.RequestEntityTooLarge));
    else reply = answerRest(method, path, url.searchParams, headers, body);

    if (fault?.passThrough) {
      if (fault.status === 0) return;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.drop) {
        recorded.status = 0;
        res.socket?.destroy();
        return;
      }
      if (fault.status >= 400) return send(faultReply(fault));
    }
    send(reply);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
    const raw = await readBody(req);
    const body = parseBody(raw.text);
    let reply: Reply;
    if (body.kind === 'invalid') {
      reply = jsonReply(400, { message: 'body is not valid JSON' });
    } else {
      const lookup = controlRouter.lookup(req.method ?? 'GET', path);
      if (lookup.kind === 'found') {
        const result = lookup.route({
          params: lookup.params,
          query: url.searchParams,
          body: body.kind === 'json' ? body.value : undefined,
        });
        reply = jsonReply(result.status, result.body);
      } else {
        reply = jsonReply(lookup.kind === 'not-found' ? 404 : 405, {
          message: `no sandbox route ${req.method} ${path}`,
        });
      }
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    const isApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    if (
      !isControl &&
      !isApi &&
      ATTACHMENT_PATH.test(url.pathname) &&
      (req.method === 'GET' || req.method === 'HEAD')
    ) {
      const file = attachments.serve(url.pathname, url.searchParams);
      res.writeHead(file.status, {
        'content-type': file.contentType,
        'content-length': Buffer.byteLength(file.body),
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
    if (url.pathname === OAUTH_AUTHORIZE_PATH) {
      readBody(req)
        .then((raw) => {
          const reply = answerAuthorize(state, (req.method ?? 'GET').toUpperCase(), url, raw.text);
          res.writeHead(reply.status, reply.headers);
          res.end(reply.body);
        })
        .catch(() => res.destroy());
      return;
    }
    const { pages } = options;
    const handled = isControl
      ? handleControl(req, res, url)
      : !isApi && pages
        ? Promise.resolve(pages(req, res, url)).then((done) => (done ? undefined : handleRest(req, res, url)))
        : handleRest(req, res, url);
    handled.catch((error: unknown) => {
      console.error('[discord stand-in] request failed', req.method, req.url, error);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(statusError(500).body));
      }
    });
  });

  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    apiBase: `${origin}${API_PREFIX}`,
    controlUrl: `${origin}${CONTROL_PREFIX}`,
    port,
    async close() {
      server.closeAllConnections();
      await stopListening(server);
    },
  };
}
