// The session cookie's signature: what we signed verifies, anything altered or re-signed does not.
import { describe, expect, it } from 'vitest';
import { randomToken, signSessionId, verifySessionCookie } from './session-cookie.ts';

describe('session cookie', () => {
  it('verifies what it signed and nothing else', async () => {
    const id = randomToken();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = await signSessionId(id, 'secret-a');
    expect(await verifySessionCookie(cookie, 'secret-a')).toBe(id);
    expect(await verifySessionCookie(cookie, 'secret-b')).toBeNull();
    expect(await verifySessionCookie(`${randomToken()}.${cookie.split('.')[1]}`, 'secret-a')).toBeNull();
    expect(await verifySessionCookie(id, 'secret-a')).toBeNull();
    expect(await verifySessionCookie(`${id}.!!!`, 'secret-a')).toBeNull();
    expect(await verifySessionCookie(undefined, 'secret-a')).toBeNull();
  });
});
