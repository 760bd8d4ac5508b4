// OAuth2 as Discord serves it, for the dashboard's "Login with Discord": the authorization codes the
// authorize page (oauth2-authorize.ts) hands out, `POST /oauth2/token` (authorization_code grant, a
// form body, client credentials in the body or as Basic auth, single-use codes valid 10 minutes),
// and the Bearer tokens it issues, which `GET /users/@me` and `GET /users/@me/guilds` accept (each
// guild with the member's permissions as Discord computes them, and `owner`). Bot-only routes still
// refuse a Bearer token with 401 (server.ts). Errors are OAuth2's `{error, error_description}`.
import { randomBytes } from 'node:crypto';
import type { APIUser, RESTAPIPartialCurrentUserGuild } from 'discord-api-types/v10';
import { memberPermissions } from '../permissions.ts';
import type { DiscordState } from '../state.ts';
import { ok, type RestContext, type RestResult } from './context.ts';

/** Discord's documented lifetimes: codes are short-lived, access tokens last 7 days (604800 s). */
export const CODE_TTL_MS = 10 * 60 * 1000;
export const ACCESS_TOKEN_TTL_S = 604_800;
/** The scopes the stand-in grants; Discord knows many more, none of which the dashboard asks for. */
export const KNOWN_SCOPES = new Set(['identify', 'guilds', 'email', 'guilds.members.read']);

interface Grant {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expires: number;
}

/** What one stand-in remembers of OAuth2: its client, the codes issued and the tokens they became. */
export class OAuthBook {
  clientSecret = 'local-client-secret';
  redirectUris = new Set<string>();
  now: () => number = Date.now;
  readonly codes = new Map<string, Grant>();
  readonly tokens = new Map<string, Grant>();

  issueCode(grant: Omit<Grant, 'expires'>): string {
    const code = randomBytes(15).toString('base64url');
    this.codes.set(code, { ...grant, expires: this.now() + CODE_TTL_MS });
    return code;
  }

  /** The grant behind `Authorization: Bearer <token>`, or null for any other header. */
  bearer(authorization: string | undefined): Grant | null {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    const grant = token ? this.tokens.get(token) : undefined;
    return grant && grant.expires > this.now() ? grant : null;
  }
}

const books = new WeakMap<DiscordState, OAuthBook>();
export function oauthBook(state: DiscordState): OAuthBook {
  const known = books.get(state);
  if (known) return known;
  const book = new OAuthBook();
  books.set(state, book);
  return book;
}

const oauthError = (status: number, error: string, description: string): RestResult => ({
  status,
  body: { error, error_description: description },
});

/** Client credentials from the form body, or from `Authorization: Basic base64(id:secret)`. */
function clientCredentials(form: URLSearchParams, authorization: string | undefined) {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

export function registerOAuthRoutes(ctx: RestContext): void {
  const { state } = ctx;
  const book = oauthBook(state);

  ctx.add('POST', '/oauth2/token', { auth: 'client' }, ({ form, authorization }) => {
    if (!form)
      return oauthError(400, 'invalid_request', 'Request body must be application/x-www-form-urlencoded');
    const client = clientCredentials(form, authorization);
    if (client.id !== ctx.appId || client.secret !== book.clientSecret) {
      return oauthError(401, 'invalid_client', 'Invalid client credentials');
    }
    if (form.get('grant_type') !== 'authorization_code') {
      return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
    }
    const code = form.get('code') ?? '';
    const grant = book.codes.get(code);
    // Single use: a code is spent by its first exchange, right or wrong.
    book.codes.delete(code);
    if (!grant || grant.expires <= book.now()) {
      return oauthError(400, 'invalid_grant', 'Invalid "code" in request.');
    }
    if (form.get('redirect_uri') !== grant.redirectUri) {
      return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
    }
    const accessToken = randomBytes(20).toString('base64url');
    book.tokens.set(accessToken, { ...grant, expires: book.now() + ACCESS_TOKEN_TTL_S * 1000 });
    return ok({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: randomBytes(20).toString('base64url'),
      scope: grant.scopes.join(' '),
    });
  });
}

/** `GET /users/@me` for a Bearer token: the user who authorized (scope identify). */
export function bearerUser(state: DiscordState, authorization: string | undefined): APIUser | null {
  const grant = oauthBook(state).bearer(authorization);
  if (!grant?.scopes.includes('identify')) return null;
  return state.users.get(grant.userId) ?? null;
}

/**
 * `GET /users/@me/guilds` for a Bearer token with scope guilds: every guild the user is in, with
 * their computed permissions (the owner and Administrator hold them all) — Discord lists them
 * whether the bot is there or not. Null when the token lacks the scope (Discord answers 401 then).
 */
export function bearerGuilds(
  state: DiscordState,
  authorization: string | undefined,
): RESTAPIPartialCurrentUserGuild[] | null {
  const grant = oauthBook(state).bearer(authorization);
  if (!grant?.scopes.includes('guilds')) return null;
  const list: RESTAPIPartialCurrentUserGuild[] = [];
  for (const guild of state.guilds.values()) {
    const member = guild.members.get(grant.userId);
    if (!member) continue;
    list.push({
      id: guild.id,
      name: guild.name,
      icon: null,
      banner: null,
      owner: guild.ownerId === grant.userId,
      permissions: String(memberPermissions(guild, grant.userId, member.roles)),
      features: [],
    });
  }
  return list.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
