import { describe, expect, it } from 'vitest';
import { MAX_MASSBAN_USERS } from '../../../../shared/command-definitions.ts';
import { isSnowflake } from '../../../../shared/snowflakes.ts';
import { CommandError } from '../../../interactions/errors.ts';
import { classifyTargets, parseUserList } from './parse.ts';

const A = '111111111111111111';
const B = '222222222222222222';
const C = '333333333333333333';

describe('parseUserList', () => {
  it('reads ids and mentions separated by spaces, commas, semicolons and new lines, once each', () => {
    expect(parseUserList(`${A}, <@${B}>;\n<@!${C}>  ${A}`)).toEqual({ ids: [A, B, C], invalid: [] });
  });

  it('joins the text and the file, first occurrence first', () => {
    expect(parseUserList(`${B} ${A}`, `${A}\n${C}\r\n`).ids).toEqual([B, A, C]);
  });

  it('keeps what is not an id, shortened, once', () => {
    const long = 'x'.repeat(60);
    const parsed = parseUserList(`hello 123 ${long} hello <@abc> 99999999999999999999999`);
    expect(parsed.ids).toEqual([]);
    expect(parsed.invalid).toEqual([
      'hello',
      '123',
      `${'x'.repeat(39)}…`,
      '<@abc>',
      '99999999999999999999999',
    ]);
  });

  it('refuses more than the most one massban may name', () => {
    const ids = Array.from({ length: MAX_MASSBAN_USERS + 1 }, (_, i) => String(10n ** 17n + BigInt(i)));
    expect(() => parseUserList(ids.join(' '))).toThrow(CommandError);
    expect(parseUserList(ids.slice(1).join(' ')).ids).toHaveLength(MAX_MASSBAN_USERS);
  });
});

describe('isSnowflake', () => {
  it('takes 17 to 20 digits within 64 bits', () => {
    expect(isSnowflake('12345678901234567')).toBe(true);
    expect(isSnowflake('18446744073709551615')).toBe(true);
    expect(isSnowflake('18446744073709551616')).toBe(false);
    expect(isSnowflake('1234567890123456')).toBe(false);
    expect(isSnowflake('12345678901234567a')).toBe(false);
  });
});

describe('classifyTargets', () => {
  const roles = [
    { id: 'member', position: 1 },
    { id: 'mod', position: 5 },
    { id: 'senior', position: 7 },
    { id: 'bot', position: 9 },
    { id: 'top', position: 10 },
  ];
  const view = {
    moderatorId: '900000000000000001',
    moderatorRoleIds: ['mod'],
    botId: '900000000000000002',
    ownerId: '900000000000000003',
    roles,
    botRoleIds: ['bot'],
    memberRoles: new Map<string, string[]>([
      ['900000000000000004', ['member']],
      ['900000000000000005', ['senior']],
      ['900000000000000006', ['mod']],
      ['900000000000000001', ['mod']],
    ]),
    banned: new Set(['900000000000000007']),
  };

  it('keeps members below both and non-members, and says why each other is left out, in list order', () => {
    const list = parseUserList(
      'nope 900000000000000004 900000000000000005 900000000000000006 900000000000000001 900000000000000002 900000000000000003 900000000000000007 900000000000000008',
    );
    expect(classifyTargets(list, view)).toEqual({
      userIds: ['900000000000000004', '900000000000000008'],
      skipped: [
        { userId: 'nope', why: 'invalid' },
        { userId: '900000000000000005', why: 'rank_moderator' },
        { userId: '900000000000000006', why: 'rank_moderator' },
        { userId: '900000000000000001', why: 'self' },
        { userId: '900000000000000002', why: 'bot' },
        { userId: '900000000000000003', why: 'owner' },
        { userId: '900000000000000007', why: 'banned' },
      ],
    });
  });

  it('leaves out members ranked at or above the bot even for the owner', () => {
    const owner = { ...view, moderatorId: view.ownerId, moderatorRoleIds: [] };
    const top = {
      ...owner,
      memberRoles: new Map([
        ['900000000000000009', ['top']],
        ['900000000000000005', ['senior']],
      ]),
    };
    expect(classifyTargets(parseUserList('900000000000000009 900000000000000005'), top)).toEqual({
      userIds: ['900000000000000005'],
      skipped: [{ userId: '900000000000000009', why: 'rank_bot' }],
    });
  });
});
