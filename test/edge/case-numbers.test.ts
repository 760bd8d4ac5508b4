// Case numbers are Postgres integers: a forged interaction carrying a number past 2³¹ − 1 (Discord
// itself enforces the definitions' max_value, a forger does not) gets a plain refusal, never a
// database error.
import { describe, expect, it } from 'vitest';
import { commandDefinitions, MAX_CASE_NUMBER } from '../../shared/command-definitions.ts';
import { integerOption, runCommand, seedGuild, stringOption, subcommand } from '../support/edge.ts';

const tooLarge = [2 ** 31, 2 ** 53];

describe('case numbers past 2³¹ − 1', () => {
  it('are bounded in the command definitions', () => {
    type Option = { name: string; max_value?: number; options?: Option[] };
    /** The option by name, at the top level or in a subcommand (`/case view number`). */
    const option = (command: string, name: string, sub?: string) => {
      const top = commandDefinitions.find((c) => c.name === command)?.options as Option[] | undefined;
      const within = sub ? top?.find((o) => o.name === sub)?.options : top;
      return within?.find((o) => o.name === name);
    };
    expect(MAX_CASE_NUMBER).toBe(2_147_483_647);
    expect(option('case', 'number', 'view')?.max_value).toBe(MAX_CASE_NUMBER);
    expect(option('case', 'number', 'delete')?.max_value).toBe(MAX_CASE_NUMBER);
    expect(option('reason', 'case')?.max_value).toBe(MAX_CASE_NUMBER);
    expect(option('duration', 'case')?.max_value).toBe(MAX_CASE_NUMBER);
  });

  for (const value of tooLarge) {
    it(`/case ${value} is refused with an ephemeral message`, async () => {
      const guild = await seedGuild();
      const result = await runCommand({
        guild,
        name: 'case',
        options: [subcommand('view', [integerOption('number', value)])],
      });
      expect(result.status).toBe(200);
      expect(result.body.data?.content).toBe('Case numbers go up to 2147483647.');
      expect(result.body.data?.flags).toBe(64);
    });

    it(`/reason ${value} is refused with an ephemeral message`, async () => {
      const guild = await seedGuild();
      const result = await runCommand({
        guild,
        name: 'reason',
        options: [integerOption('case', value), stringOption('reason', 'new')],
      });
      expect(result.body.data?.content).toBe('Case numbers go up to 2147483647.');
      expect(result.body.data?.flags).toBe(64);
    });
  }
});
