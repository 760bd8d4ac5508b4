import { describe, expect, it } from 'vitest';
import { caseRow } from '../../../db/case-row-fixture.ts';
import { embedLength, embedLimits } from '../../../shared/embed-fit.ts';
import { MAX_CUSTOM_ID_LENGTH, noFilters, parsePageCustomId } from './case-filters.ts';
import { caseLine } from './case-lines.ts';
import { casesEmbed, casesReply, pageButtons } from './cases-page.ts';

const page = (from: number, reason = 'spam') =>
  Array.from({ length: 10 }, (_, i) => caseRow({ caseNumber: from - i, reason }));

type Button = { custom_id: string; label: string; disabled: boolean };
const buttonsOf = (rows: ReturnType<typeof pageButtons>) =>
  rows.flatMap((row) => row.components as unknown as Button[]);

describe('caseLine with the member', () => {
  it('names the member after the action, and where the case came from', () => {
    const row = caseRow({
      caseNumber: 9,
      action: 'ban',
      expiresAt: new Date('2026-02-01'),
      source: 'discord',
    });
    expect(caseLine(row, { showMember: true })).toBe(
      '`#9` **Temporary ban** · <@100000000000000001> · <t:1767225600:d> · by <@200000000000000001> · from Discord\nspam',
    );
    expect(caseLine(caseRow({ source: 'automod', moderatorId: '0' }))).toContain('· by AutoMod · AutoMod');
    expect(caseLine(caseRow({ moderatorId: '0', source: 'discord' }))).toContain('by an unknown moderator');
  });
});

describe('casesEmbed', () => {
  it('keeps ten cases with 512-character reasons within the limits', () => {
    const embed = casesEmbed({ ...noFilters, action: 'warn' }, page(100, 'y'.repeat(512)));
    expect(embed.description!.length).toBeLessThanOrEqual(embedLimits.description);
    expect(embedLength(embed)).toBeLessThanOrEqual(embedLimits.total);
    expect([...embed.description!.matchAll(/`#(\d+)`/g)].map((m) => Number(m[1]))).toEqual([
      100, 99, 98, 97, 96, 95, 94, 93, 92, 91,
    ]);
    expect(embed.description!.split('\n')[0]).toBe('Filters: Warning');
  });

  it('says what the order is', () => {
    expect(casesEmbed(noFilters, page(10)).footer?.text).toBe('Newest first');
    expect(casesEmbed({ ...noFilters, since: new Date(0) }, page(10)).footer?.text).toBe(
      'Newest first, by date',
    );
  });
});

describe('pageButtons', () => {
  it('on the first page: Previous disabled, Next after the last case shown', () => {
    const [previous, next] = buttonsOf(pageButtons(noFilters, page(50), { newer: false, older: true }));
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false });
    expect(parsePageCustomId(next!.custom_id.split(':').slice(1), new Date())?.page).toEqual({
      direction: 'older',
      cursor: 41,
    });
    expect(parsePageCustomId(previous!.custom_id.split(':').slice(1), new Date())?.page).toEqual({
      direction: 'newer',
      cursor: 50,
    });
    for (const button of [previous!, next!])
      expect(button.custom_id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID_LENGTH);
  });

  it('none when everything is on one page', () => {
    expect(pageButtons(noFilters, page(10), { newer: false, older: false })).toEqual([]);
  });
});

describe('casesReply', () => {
  it('says so when nothing matches', () => {
    expect(casesReply(noFilters, [], { newer: false, older: false })).toEqual({
      content: 'This server has no cases yet.',
    });
    expect(casesReply({ ...noFilters, action: 'kick' }, [], { newer: false, older: false })).toEqual({
      content: 'No cases match these filters.',
    });
  });
});
