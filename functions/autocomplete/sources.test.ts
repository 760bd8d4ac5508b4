import { type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import { suggestionSource } from './sources.ts';

/** Every option declared with `autocomplete: true`, with its command and subcommand. */
function autocompleteOptions() {
  const found: { command: string; subcommand: string | null; option: string }[] = [];
  const walk = (
    command: string,
    subcommand: string | null,
    options: readonly APIApplicationCommandOption[],
  ) => {
    for (const option of options) {
      if (
        option.type === ApplicationCommandOptionType.Subcommand ||
        option.type === ApplicationCommandOptionType.SubcommandGroup
      ) {
        walk(command, subcommand ? `${subcommand} ${option.name}` : option.name, option.options ?? []);
      } else if ('autocomplete' in option && option.autocomplete) {
        found.push({ command, subcommand, option: option.name });
      }
    }
  };
  for (const definition of commandDefinitions) walk(definition.name, null, definition.options ?? []);
  return found;
}

describe('suggestionSource', () => {
  it('has a source for every option the definitions declare as autocompleting', () => {
    const options = autocompleteOptions();
    expect(options.length).toBeGreaterThan(10);
    for (const { command, subcommand, option } of options) {
      expect(
        suggestionSource(command, subcommand, option),
        `/${command} ${subcommand ?? ''} ${option}`,
      ).not.toBeNull();
    }
  });

  it('routes each option to its source', () => {
    expect(suggestionSource('ban', null, 'reason')).toBe('saved-reasons');
    expect(suggestionSource('lockdown', 'server', 'reason')).toBe('saved-reasons');
    expect(suggestionSource('case', 'delete', 'reason')).toBe('saved-reasons');
    expect(suggestionSource('case', 'view', 'number')).toBe('cases');
    expect(suggestionSource('case', 'delete', 'number')).toBe('cases');
    expect(suggestionSource('reason', null, 'case')).toBe('cases');
    expect(suggestionSource('duration', null, 'case')).toBe('cases');
    expect(suggestionSource('reasons', 'remove', 'name')).toBe('saved-names');
  });

  it('gives nothing for options that do not autocomplete or do not exist', () => {
    expect(suggestionSource('reasons', 'add', 'name')).toBeNull();
    expect(suggestionSource('ban', null, 'duration')).toBeNull();
    expect(suggestionSource('warnings', null, 'page')).toBeNull();
    expect(suggestionSource('case', null, 'number')).toBeNull();
    expect(suggestionSource('nope', null, 'reason')).toBeNull();
  });
});
