import type { APIInteraction } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  byMatchedName,
  distinctUsers,
  MAX_SEEN_USERS,
  prefixPattern,
  usersOfAuditLog,
  usersOfInteraction,
} from './seen-users.ts';

const id = (n: number) => (100_000_000_000_000_000n + BigInt(n)).toString();

describe('seen users', () => {
  it('keeps one entry per user (the last seen), drops malformed ids and names, and sorts by id', () => {
    expect(
      distinctUsers([
        { id: id(2), username: 'bob', global_name: 'Bob' },
        { id: id(1), username: 'old', global_name: null },
        { id: id(1), username: 'alice', global_name: 'x'.repeat(33) },
        { id: 'nope', username: 'eve' },
        { id: id(3), username: '' },
        null,
        undefined,
      ]),
    ).toEqual([
      { id: id(1), username: 'alice', globalName: null },
      { id: id(2), username: 'bob', globalName: 'Bob' },
    ]);
  });

  it('bounds how many users one payload writes', () => {
    const many = Array.from({ length: MAX_SEEN_USERS + 50 }, (_, n) => ({ id: id(n), username: `u${n}` }));
    expect(distinctUsers(many)).toHaveLength(MAX_SEEN_USERS);
  });

  it('reads the invoking member and the resolved users of an interaction', () => {
    const interaction = {
      type: 2,
      member: { user: { id: id(1), username: 'mod', global_name: 'The Mod' } },
      data: { resolved: { users: { [id(2)]: { id: id(2), username: 'target', global_name: null } } } },
    } as unknown as APIInteraction;
    expect(usersOfInteraction(interaction).map((u) => u.username)).toEqual(['mod', 'target']);
    expect(usersOfInteraction({ type: 1 } as APIInteraction)).toEqual([]);
  });

  it("reads an audit-log page's users, and nothing from a page without them", () => {
    expect(usersOfAuditLog({ users: [{ id: id(5), username: 'x', global_name: 'Y' } as never] })).toEqual([
      { id: id(5), username: 'x', globalName: 'Y' },
    ]);
    expect(usersOfAuditLog({} as never)).toEqual([]);
  });

  it('escapes LIKE wildcards and lowercases the prefix', () => {
    expect(prefixPattern('Al_i%ce\\')).toBe('al\\_i\\%ce\\\\%');
  });

  it('orders matches by the name the prefix matched, then by id', () => {
    const users = [
      { id: id(3), username: 'zed', globalName: 'Alpha' },
      { id: id(2), username: 'alzo', globalName: null },
      { id: id(1), username: 'alzo2', globalName: 'Al' },
      { id: id(0), username: 'alzo', globalName: null },
    ];
    expect([...users].sort(byMatchedName('al')).map((u) => u.id)).toEqual([id(3), id(0), id(2), id(1)]);
  });
});
