// The dashboard's signed values: random ids and tokens, and the session cookie's value
// `<id>.<HMAC-SHA256(id)>` (WebCrypto, base64url). A forged or altered cookie fails the signature
// check before any database lookup; the signature proves only that we issued the id.
const encoder = new TextEncoder();

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/** `bytes` random bytes, base64url. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

const keyFor = (secret: string) =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);

export async function signSessionId(id: string, secret: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await keyFor(secret), encoder.encode(id));
  return `${id}.${base64url(new Uint8Array(signature))}`;
}

/** The session id a cookie value names, or null when it is malformed or its signature is wrong. */
export async function verifySessionCookie(value: string | undefined, secret: string): Promise<string | null> {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  let bytes: Uint8Array;
  try {
    const binary = atob(signature.replaceAll('-', '+').replaceAll('_', '/'));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  // verify() compares in constant time.
  const valid = await crypto.subtle.verify('HMAC', await keyFor(secret), bytes, encoder.encode(id));
  return valid ? id : null;
}
