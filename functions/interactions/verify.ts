// Checks that a request really comes from Discord: the Ed25519 signature over timestamp + body, and
// a timestamp close to now (a captured request replayed later is refused too).
import { verifyKey } from 'discord-interactions';

/** How far the signed timestamp may be from our clock. */
export const MAX_CLOCK_SKEW_S = 300;
/**
 * Interaction payloads with resolved members stay far below this; anything larger is not Discord.
 * Enforced while the body is read (app.ts), before it reaches this module.
 */
export const MAX_INTERACTION_BYTES = 256 * 1024;

export type Verification = { ok: true; body: string } | { ok: false; status: 401; error: string };

export async function verifyInteraction(
  request: Request,
  publicKey: string,
  nowMs: number,
): Promise<Verification> {
  const signature = request.headers.get('x-signature-ed25519');
  const timestamp = request.headers.get('x-signature-timestamp');
  if (!signature || !timestamp) return { ok: false, status: 401, error: 'missing signature headers' };
  const bytes = await request.arrayBuffer();
  const signedAt = Number(timestamp);
  if (!Number.isFinite(signedAt) || Math.abs(nowMs / 1000 - signedAt) > MAX_CLOCK_SKEW_S) {
    return { ok: false, status: 401, error: 'stale or invalid timestamp' };
  }
  const valid = await verifyKey(bytes, signature, timestamp, publicKey).catch(() => false);
  if (!valid) return { ok: false, status: 401, error: 'invalid request signature' };
  return { ok: true, body: new TextDecoder().decode(bytes) };
}
