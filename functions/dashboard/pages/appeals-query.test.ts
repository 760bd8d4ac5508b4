import { describe, expect, it } from 'vitest';
import { appealsHref, formatCursor, parseAppealsQuery, parseCursor } from './appeals-query.ts';

const parse = (search: string) => parseAppealsQuery(new URLSearchParams(search));
const id = '0b6f1f5e-8c1d-4d2a-9a57-3f0e2c6b7a10';

describe('parseAppealsQuery', () => {
  it('shows every appeal by default, and each filter by name', () => {
    expect(parse('')).toEqual({ ok: true, query: { filter: 'all', before: null, notice: null } });
    for (const filter of ['pending', 'decided', 'all'] as const)
      expect(parse(`state=${filter}`)).toMatchObject({ ok: true, query: { filter } });
  });

  it('refuses an unknown filter, an unknown field, a forged cursor and paging the pending list', () => {
    expect(parse('state=open')).toEqual({ ok: false, error: 'Show pending, decided or all appeals.' });
    expect(parse('page=2')).toEqual({ ok: false, error: 'Unknown search field "page".' });
    expect(parse('before=12_x')).toMatchObject({ ok: false });
    expect(parse(`before=1_${id.toUpperCase()}`)).toMatchObject({ ok: false });
    expect(parse(`state=pending&before=1_${id}`)).toEqual({
      ok: false,
      error: 'Pending appeals are not paged.',
    });
  });

  it('keeps only the notice keys it knows, never the text of an unknown one', () => {
    expect(parse('notice=accepted')).toMatchObject({ ok: true, query: { notice: 'accepted' } });
    expect(parse('notice=denied')).toMatchObject({ ok: true, query: { notice: 'denied' } });
    expect(parse('notice=%3Cb%3E')).toMatchObject({ ok: true, query: { notice: null } });
    expect(parse('notice=toString')).toMatchObject({ ok: true, query: { notice: null } });
  });
});

describe('the decided list cursor', () => {
  it('round-trips through the link', () => {
    const cursor = { decidedAt: new Date('2026-03-01T12:00:00.123Z'), id };
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    const href = appealsHref('123', 'decided', cursor);
    expect(href).toBe(`/dashboard/guilds/123/appeals?state=decided&before=${formatCursor(cursor)}`);
    expect(parse(new URL(href, 'http://x').search)).toMatchObject({ ok: true, query: { before: cursor } });
  });

  it('leaves the default filter out of the link', () => {
    expect(appealsHref('123', 'all')).toBe('/dashboard/guilds/123/appeals');
  });
});
