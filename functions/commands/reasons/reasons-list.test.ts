import { describe, expect, it } from 'vitest';
import { embedLength, embedLimits } from '../../../shared/embed-fit.ts';
import { reasonLines, savedReasonsEmbed } from './reasons-list.ts';

describe('reasonLines', () => {
  it('lists every reason in full when they fit', () => {
    expect(reasonLines([{ name: 'spam', text: 'Spamming\nlinks' }])).toEqual(['`spam` — Spamming links']);
  });

  it('cuts texts to one shared length when they do not, keeping short ones whole', () => {
    const reasons = [
      { name: 'a', text: 'short' },
      { name: 'b', text: 'x'.repeat(500) },
      { name: 'c', text: 'y'.repeat(500) },
    ];
    const lines = reasonLines(reasons, 300);
    expect(lines.join('\n').length).toBeLessThanOrEqual(300);
    expect(lines[0]).toBe('`a` — short');
    expect(lines[1]!.endsWith('…')).toBe(true);
    // The cap is the largest that fits: one more character would not.
    expect(lines.join('\n').length).toBeGreaterThan(290);
  });
});

describe('savedReasonsEmbed', () => {
  it('shows 100 reasons with the longest names and texts within Discord’s limits', () => {
    const reasons = Array.from({ length: 100 }, (_, i) => ({
      name: `${String(i).padStart(3, '0')}${'n'.repeat(29)}`,
      text: 't'.repeat(512),
    }));
    const embed = savedReasonsEmbed(reasons);
    expect(embed.title).toBe('Saved reasons (100 of 100)');
    expect(embed.description!.length).toBeLessThanOrEqual(embedLimits.description);
    expect(embedLength(embed)).toBeLessThanOrEqual(embedLimits.total);
    for (const reason of reasons) expect(embed.description).toContain(`\`${reason.name}\``);
  });
});
