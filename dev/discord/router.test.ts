import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';

describe('Router', () => {
  const router = new Router<string>()
    .add('GET', '/users/{user_id}', 'user')
    .add('GET', '/users/@me', 'me')
    .add('PATCH', '/webhooks/{id}/{token}/messages/{message_id}', 'edit')
    .add('PATCH', '/webhooks/{id}/{token}/messages/@original', 'original');

  it('prefers literal segments over parameters', () => {
    expect(router.lookup('GET', '/users/@me')).toMatchObject({ kind: 'found', route: 'me' });
    expect(router.lookup('GET', '/users/42')).toMatchObject({
      kind: 'found',
      route: 'user',
      params: { user_id: '42' },
    });
    expect(router.lookup('PATCH', '/webhooks/1/t/messages/@original')).toMatchObject({ route: 'original' });
    expect(router.lookup('PATCH', '/webhooks/1/t/messages/9')).toMatchObject({
      route: 'edit',
      params: { id: '1', token: 't', message_id: '9' },
    });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.lookup('DELETE', '/users/42')).toEqual({
      kind: 'method-not-allowed',
      template: '/users/{user_id}',
    });
    expect(router.lookup('GET', '/users/42/extra')).toEqual({ kind: 'not-found' });
    expect(router.lookup('GET', '/users/')).toEqual({ kind: 'not-found' });
  });

  it('matches methods case-insensitively and decodes parameters', () => {
    expect(router.lookup('get', '/users/a%20b')).toMatchObject({ kind: 'found', params: { user_id: 'a b' } });
  });
});
