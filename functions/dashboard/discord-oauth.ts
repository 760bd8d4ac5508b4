// The dashboard's calls to Discord as the signed-in user: the authorize URL (on Discord's site, the
// origin of DISCORD_API_BASE), the code-for-token exchange (form-encoded, client credentials in the
// body), and the user and their servers with the user's Bearer token. Each call has a timeout; the
// access token is never put into an error message.
import type {
  APIUser,
  RESTAPIPartialCurrentUserGuild,
  RESTPostOAuth2AccessTokenResult,
} from 'discord-api-types/v10';

const TIMEOUT_MS = 5_000;
export const OAUTH_SCOPES = 'identify guilds';

export class DiscordOAuthError extends Error {
  /** Discord's HTTP status; null for a timeout or network failure. */
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message);
    this.status = status;
  }
}

export function authorizeUrl(apiBase: string, clientId: string, redirectUri: string, state: string): string {
  const url = new URL('/oauth2/authorize', new URL(apiBase).origin);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: OAUTH_SCOPES,
    redirect_uri: redirectUri,
    state,
  }).toString();
  return url.toString();
}

async function call<T>(url: string, init: RequestInit, what: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new DiscordOAuthError(`${what}: ${error instanceof Error ? error.name : 'network error'}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscordOAuthError(`${what}: HTTP ${response.status}`, response.status);
  }
  return (await response.json()) as T;
}

export function exchangeCode(
  apiBase: string,
  client: { id: string; secret: string },
  code: string,
  redirectUri: string,
): Promise<RESTPostOAuth2AccessTokenResult> {
  return call(
    `${apiBase}/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: client.id,
        client_secret: client.secret,
      }),
    },
    'token exchange',
  );
}

export const currentUser = (apiBase: string, accessToken: string) =>
  call<APIUser>(
    `${apiBase}/users/@me`,
    { headers: { authorization: `Bearer ${accessToken}` } },
    'GET /users/@me',
  );

/** The user's servers (one page of 200, Discord's maximum). */
export const currentUserGuilds = (apiBase: string, accessToken: string) =>
  call<RESTAPIPartialCurrentUserGuild[]>(
    `${apiBase}/users/@me/guilds?limit=200`,
    { headers: { authorization: `Bearer ${accessToken}` } },
    'GET /users/@me/guilds',
  );
