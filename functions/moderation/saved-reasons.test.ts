import { describe, expect, it } from 'vitest';
import { looksLikeSavedName, savedNameProblem, savedReasonKey, savedTextProblem } from './saved-reasons.ts';

describe('saved reason names', () => {
  it('are one word of letters, digits, - and _, up to 32 characters', () => {
    for (const name of ['spam', 'Rule-3', 'no_ads', 'спам', '规则3', 'x'.repeat(32)]) {
      expect(savedNameProblem(name), name).toBeNull();
      expect(looksLikeSavedName(name), name).toBe(true);
    }
    for (const name of ['two words', 'spam!', 'a.b', '<@123>', 'x'.repeat(33), '']) {
      expect(savedNameProblem(name), name).not.toBeNull();
      expect(looksLikeSavedName(name), name).toBe(false);
    }
  });

  it('match without regard to case', () => {
    expect(savedReasonKey('Rule-3')).toBe(savedReasonKey('RULE-3'));
  });

  it('an ordinary reason never reads as a name (so it costs no query)', () => {
    expect(looksLikeSavedName('Spamming links in #general')).toBe(false);
    expect(looksLikeSavedName('Rule 3')).toBe(false);
  });
});

describe('saved reason texts', () => {
  it('are 1 to 512 characters', () => {
    expect(savedTextProblem('ok')).toBeNull();
    expect(savedTextProblem('')).not.toBeNull();
    expect(savedTextProblem('é'.repeat(512))).toBeNull();
    expect(savedTextProblem('é'.repeat(513))).toContain('513');
  });
});
