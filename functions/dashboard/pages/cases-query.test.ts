import { describe, expect, it } from 'vitest';
import { casesHref, memberPageHref, parseCasesQuery, parseDay, parseMemberQuery } from './cases-query.ts';

const parse = (search: string) => parseCasesQuery(new URLSearchParams(search));
const member = '100000000000000001';
const moderator = '200000000000000002';

describe('parseCasesQuery', () => {
  it('reads no filters from an empty query or empty form fields', () => {
    for (const search of ['', 'member=&moderator=&action=&source=&from=&to=']) {
      const parsed = parse(search);
      expect(parsed.ok && parsed.query.filters).toEqual({
        userId: null,
        moderatorId: null,
        action: null,
        source: null,
        since: null,
        until: null,
      });
      expect(parsed.ok && parsed.query.page).toBeNull();
    }
  });

  it('reads every filter, the dates as whole UTC days (to inclusive), and a cursor', () => {
    const parsed = parse(
      `member=${member}&moderator=${moderator}&action=ban&source=discord&from=2026-01-01&to=2026-01-31&before=40`,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.query.filters).toEqual({
      userId: member,
      moderatorId: moderator,
      action: 'ban',
      source: 'discord',
      since: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-02-01T00:00:00Z'),
    });
    expect(parsed.query.page).toEqual({ direction: 'older', cursor: 40 });
    expect(parse('after=7')).toMatchObject({ ok: true, query: { page: { direction: 'newer', cursor: 7 } } });
  });

  it.each([
    ['member=12', 'Member must be a Discord user id'],
    [`member=${'n'.repeat(33)}`, 'at most 32 characters'],
    ['member=a%0Ab', 'at most 32 characters'],
    ['moderator=abc', 'Moderator must be a Discord user id'],
    ['action=explode', 'Action must be one of'],
    ['source=scheduler', 'Source must be one of'],
    ['from=2026-02-31', 'From must be a date'],
    ['to=yesterday', 'To must be a date'],
    ['from=2026-02-02&to=2026-02-01', 'To must not be before From'],
    ['before=1&after=2', 'either "before" or "after"'],
    ['before=0', 'cursor must be a case number'],
    ['after=99999999999', 'cursor must be a case number'],
    ['page=2', 'Unknown parameter "page"'],
    ['action=ban&action=kick', '"action" is given more than once'],
  ])('refuses %s', (search, message) => {
    const parsed = parse(search);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });

  it('reads a member that is not all digits as a name, kept as typed (trimmed) and not as an id', () => {
    const parsed = parse('member=%20Al_ice%20&action=ban');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.query.memberName).toBe('Al_ice');
    expect(parsed.query.filters.userId).toBeNull();
    expect(parse(`member=${member}`)).toMatchObject({ ok: true, query: { memberName: null } });
    expect(parse(`member=${'é'.repeat(32)}`)).toMatchObject({
      ok: true,
      query: { memberName: 'é'.repeat(32) },
    });
  });

  it('accepts real days only', () => {
    expect(parseDay('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-1-01')).toBeNull();
  });
});

describe('casesHref', () => {
  it('writes a link that parses back to the same filters, with the cursor it is given', () => {
    const search = `member=${member}&action=warn&source=command&from=2026-03-01&to=2026-03-02`;
    const parsed = parse(search);
    if (!parsed.ok) throw new Error(parsed.error);
    const href = casesHref('42', parsed.query, { direction: 'older', cursor: 9 });
    expect(href).toBe(`/dashboard/guilds/42/cases?${search}&before=9`);
    const again = parse(new URL(href, 'http://x').search);
    expect(again.ok && again.query.filters).toEqual(parsed.query.filters);
    expect(again.ok && again.query.page).toEqual({ direction: 'older', cursor: 9 });
  });

  it('keeps a member name in the link', () => {
    const parsed = parse('member=al%26ice');
    if (!parsed.ok) throw new Error(parsed.error);
    const href = casesHref('42', parsed.query, null);
    expect(href).toBe('/dashboard/guilds/42/cases?member=al%26ice');
    const again = parse(new URL(href, 'http://x').search);
    expect(again.ok && again.query.memberName).toBe('al&ice');
  });

  it('writes a bare path without filters or cursor', () => {
    const parsed = parse('');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(casesHref('42', parsed.query, null)).toBe('/dashboard/guilds/42/cases');
  });
});

describe('parseMemberQuery', () => {
  it('reads only a cursor, as the cases page checks it, and its link parses back', () => {
    expect(parseMemberQuery(new URLSearchParams(''))).toEqual({ ok: true, page: null });
    const href = memberPageHref('42', member, { direction: 'newer', cursor: 8 });
    expect(href).toBe(`/dashboard/guilds/42/members/${member}?after=8`);
    expect(parseMemberQuery(new URL(href, 'http://x').searchParams)).toEqual({
      ok: true,
      page: { direction: 'newer', cursor: 8 },
    });
  });

  it.each([
    ['action=ban', 'Unknown parameter "action"'],
    ['member=1', 'Unknown parameter "member"'],
    ['before=x', 'cursor must be a case number'],
    ['before=1&before=2', 'more than once'],
  ])('refuses %s', (search, message) => {
    const parsed = parseMemberQuery(new URLSearchParams(search));
    expect(!parsed.ok && parsed.error).toContain(message);
  });
});
