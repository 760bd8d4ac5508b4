// Discord's authorize page (https://discord.com/oauth2/authorize — on the site, not under /api/v10),
// for the sandbox: it checks client_id, redirect_uri (registered, exact match), response_type (code)
// and scope as Discord does and shows an error page otherwise; then, where a real user would click
// "Authorize" while signed in, the sandbox user picks who they are from the known users. The choice
// is POSTed back here and answered with a redirect to redirect_uri carrying `code` and `state`
// (or `error=access_denied` on Cancel).
import type { DiscordState } from '../state.ts';
import { KNOWN_SCOPES, oauthBook } from './oauth2.ts';

export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (status: number, title: string, inner: string): PageReply => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>body{background:#313338;color:#dbdee1;font:16px system-ui;max-width:32rem;margin:2rem auto;padding:0 1rem}button{display:block;width:100%;margin:.4rem 0;padding:.6rem;background:#5865f2;color:#fff;border:0;border-radius:4px;font:inherit;text-align:left}button.cancel{background:#4e5058}</style></head><body><h1>${escapeHtml(title)}</h1>${inner}</body></html>`,
});

type Checked =
  | { ok: true; scopes: string[]; redirectUri: string; state: string | null }
  | { ok: false; reply: PageReply };

function check(state: DiscordState, params: URLSearchParams): Checked {
  const book = oauthBook(state);
  const fail = (message: string): Checked => ({
    ok: false,
    reply: page(400, 'An error occurred', `<p>${escapeHtml(message)}</p>`),
  });
  if (params.get('client_id') !== state.applicationId) return fail('Unknown Application');
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!book.redirectUris.has(redirectUri)) return fail('Invalid OAuth2 redirect_uri');
  if (params.get('response_type') !== 'code') return fail('Invalid response_type');
  const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0 || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) return fail('Invalid scope');
  return { ok: true, scopes, redirectUri, state: params.get('state') };
}

/** GET shows the page; POST (the sandbox user's choice, form-encoded) redirects to the app. */
export function answerAuthorize(state: DiscordState, method: string, url: URL, formText: string): PageReply {
  if (method === 'GET') {
    const checked = check(state, url.searchParams);
    if (!checked.ok) return checked.reply;
    const hidden = [...url.searchParams]
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('');
    const users = [...state.users.values()]
      .filter((user) => !user.bot)
      .map(
        (user) =>
          `<button name="user_id" value="${user.id}">${escapeHtml(user.global_name ?? user.username)} <small>@${escapeHtml(user.username)} · ${user.id}</small></button>`,
      )
      .join('');
    return page(
      200,
      'Authorize access to your account',
      `<p>The application wants to: ${checked.scopes.map(escapeHtml).join(', ')}. Sign in as:</p><form method="post">${hidden}${users}<button class="cancel" name="cancel" value="1">Cancel</button></form>`,
    );
  }
  if (method !== 'POST') return { status: 405, headers: {} };
  const form = new URLSearchParams(formText);
  const checked = check(state, form);
  if (!checked.ok) return checked.reply;
  const target = new URL(checked.redirectUri);
  if (form.get('cancel')) {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set(
      'error_description',
      'The resource owner or authorization server denied the request',
    );
  } else {
    const userId = form.get('user_id') ?? '';
    if (!state.users.has(userId)) return page(400, 'An error occurred', '<p>Unknown user</p>');
    target.searchParams.set(
      'code',
      oauthBook(state).issueCode({ userId, scopes: checked.scopes, redirectUri: checked.redirectUri }),
    );
  }
  if (checked.state !== null) target.searchParams.set('state', checked.state);
  return { status: 302, headers: { location: target.toString() } };
}
