import { describe, expect, it } from 'vitest';
import {
  containsPattern,
  escapeLike,
  nameChoices,
  prefixPattern,
  reasonChoices,
  savedReasonLabel,
  savedReasonValue,
} from './saved-reason-choices.ts';

describe('LIKE patterns', () => {
  it('escape the wildcards and the escape character', () => {
    expect(escapeLike('100%_sure\\')).toBe('100\\%\\_sure\\\\');
    expect(prefixPattern('a_b')).toBe('a\\_b%');
    expect(containsPattern('50%')).toBe('%50\\%%');
  });
});

describe('saved reason choices', () => {
  const short = { name: 'spam', text: 'Spamming links in several channels' };
  const long = { name: 'rule3', text: `Rule 3: ${'no advertising, '.repeat(20)}` };

  it('label: name and text on one line, within 100 characters', () => {
    expect(savedReasonLabel({ name: 'x', text: 'two\nlines' })).toBe('x — two lines');
    const label = savedReasonLabel(long);
    expect(label.length).toBeLessThanOrEqual(100);
    expect(label.startsWith('rule3 — Rule 3: no advertising')).toBe(true);
    expect(label.endsWith('…')).toBe(true);
  });

  it('value: the text when it fits 100 characters, else the name (expanded by the command)', () => {
    expect(savedReasonValue(short)).toBe(short.text);
    expect(savedReasonValue(long)).toBe('rule3');
    expect(savedReasonValue({ name: 'x', text: 'y'.repeat(100) })).toBe('y'.repeat(100));
    expect(savedReasonValue({ name: 'x', text: 'y'.repeat(101) })).toBe('x');
  });

  it('value: the name when the text itself reads as a name, so it is not expanded again', () => {
    expect(savedReasonValue({ name: 'ad', text: 'advertising' })).toBe('ad');
  });

  it('at most 25 choices; /reasons remove offers names', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `r${i}`, text: `reason ${i}` }));
    expect(reasonChoices(many)).toHaveLength(25);
    expect(nameChoices([short])).toEqual([
      { name: 'spam — Spamming links in several channels', value: 'spam' },
    ]);
  });
});
