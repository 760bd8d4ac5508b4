import { describe, expect, it } from 'vitest';
import { MAX_CASE_NUMBER } from '../../../shared/commands/limits.ts';
import { CommandError } from '../../interactions/errors.ts';
import { givenOptions } from '../../interactions/options.ts';
import {
  type CaseFilters,
  describeFilters,
  MAX_CUSTOM_ID_LENGTH,
  noFilters,
  pageCustomId,
  parsePageCustomId,
  readCaseFilters,
} from './case-filters.ts';

const now = new Date('2026-06-01T12:00:00.750Z');
const member = (id: string) => ({ id, user: null, member: null });
const args = (customId: string) => customId.split(':').slice(1);

const widest: CaseFilters = {
  userId: '18446744073709551615',
  moderatorId: '18446744073709551615',
  action: 'automod_block',
  source: 'escalation',
  since: new Date(now.getTime() - 10 * 365 * 86_400_000),
};

describe('readCaseFilters', () => {
  it('reads no filters as none', () => {
    expect(readCaseFilters(givenOptions({}), now)).toEqual(noFilters);
  });

  it('reads every filter, since as a bound in whole seconds', () => {
    const options = givenOptions({
      user: { user: member('100000000000000001'), moderator: member('200000000000000002') },
      string: { action: 'ban', source: 'discord', since: '7d' },
    });
    expect(readCaseFilters(options, now)).toEqual({
      userId: '100000000000000001',
      moderatorId: '200000000000000002',
      action: 'ban',
      source: 'discord',
      since: new Date('2026-05-25T12:00:00.000Z'),
    });
  });

  it('refuses an action, a source or a since that no choice gives', () => {
    const refused = (string: Record<string, string>) => () => readCaseFilters(givenOptions({ string }), now);
    expect(refused({ action: 'purge' })).toThrow(CommandError);
    expect(refused({ source: 'scheduler' })).toThrow(/source/);
    expect(refused({ since: 'soon' })).toThrow(/not a duration/);
    expect(refused({ since: '10s' })).toThrow(/at least 1 minute/);
    expect(refused({ since: '11y' })).toThrow(/at most/);
  });

  it('treats an empty since as none', () => {
    expect(readCaseFilters(givenOptions({ string: { since: '  ' } }), now).since).toBeNull();
  });
});

describe('page custom_ids', () => {
  it('fit Discord’s 100 characters with every filter at its longest', () => {
    const id = pageCustomId(widest, { direction: 'older', cursor: MAX_CASE_NUMBER });
    expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID_LENGTH);
    expect(id.startsWith('cases:o:2147483647:')).toBe(true);
  });

  it('read back as they were written', () => {
    for (const filters of [noFilters, widest, { ...noFilters, action: 'note' as const }]) {
      for (const direction of ['older', 'newer'] as const) {
        const page = { direction, cursor: 42 };
        const expected = filters.since
          ? { ...filters, since: new Date(Math.floor(filters.since.getTime() / 1000) * 1000) }
          : filters;
        expect(parsePageCustomId(args(pageCustomId(filters, page)), now)).toEqual({
          filters: expected,
          page,
        });
      }
    }
  });

  it('refuse every part a page button of ours could not carry', () => {
    const good = args(pageCustomId(widest, { direction: 'older', cursor: 5 }));
    expect(parsePageCustomId(good, now)).not.toBeNull();
    const forged = (index: number, value: string) => {
      const copy = [...good];
      copy[index] = value;
      return parsePageCustomId(copy, now);
    };
    expect(parsePageCustomId(good.slice(0, 6), now)).toBeNull();
    expect(parsePageCustomId([...good, ''], now)).toBeNull();
    expect(forged(0, 'x')).toBeNull();
    for (const cursor of ['0', '007', '-1', '1.5', '2147483648', '99999999999', ''])
      expect(forged(1, cursor)).toBeNull();
    for (const id of ['123', 'abc', '18446744073709551616', '1e18']) {
      expect(forged(2, id)).toBeNull();
      expect(forged(3, id)).toBeNull();
    }
    expect(forged(4, 'purge')).toBeNull();
    expect(forged(5, 'scheduler')).toBeNull();
    expect(forged(6, String(Math.floor(now.getTime() / 1000) + 3600))).toBeNull();
    expect(forged(6, '12x')).toBeNull();
    expect(forged(6, '0')).toBeNull();
  });
});

describe('describeFilters', () => {
  it('names each filter given, and nothing when none is', () => {
    expect(describeFilters(noFilters)).toBeNull();
    expect(
      describeFilters({ ...noFilters, userId: '1', action: 'mute', since: new Date(1_000_000_000_000) }),
    ).toBe('member <@1> · Mute · since <t:1000000000:f>');
  });
});
