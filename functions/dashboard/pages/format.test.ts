import { describe, expect, it } from 'vitest';
import { discordText, utc } from './format.ts';

describe('discordText', () => {
  it('shows mentions as the ids they name, timestamps as UTC dates, emoji by name', () => {
    expect(discordText('<@123> and <@!456> in <#789> for <@&10>')).toBe('@123 and @456 in #789 for @&10');
    expect(discordText('at <t:1767225600:f>')).toBe('at 2026-01-01 00:00 UTC');
    expect(discordText('<:pog:1234> <a:spin:5678>')).toBe(':pog: :spin:');
  });

  it('leaves other text (markdown, tags) as it is, for the template to escape', () => {
    expect(discordText('**bold** <script>x</script>')).toBe('**bold** <script>x</script>');
  });
});

describe('utc', () => {
  it('writes minutes in UTC', () => {
    expect(utc(new Date('2026-05-06T07:08:09Z'))).toBe('2026-05-06 07:08 UTC');
    expect(utc(new Date('nope'))).toBe('unknown date');
  });
});
