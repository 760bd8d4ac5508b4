import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType,
  type InteractionType,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { findFocusedOption } from './focused-option.ts';

type Option = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>;
const T = ApplicationCommandOptionType;

describe('findFocusedOption', () => {
  it('finds the focused option at the top level, its value as Discord sends it (a string)', () => {
    const options: Option[] = [
      { name: 'user', type: T.User, value: '123' },
      { name: 'reason', type: T.String, value: 'sp', focused: true },
    ];
    expect(findFocusedOption(options)).toEqual({
      subcommand: null,
      name: 'reason',
      type: T.String,
      value: 'sp',
    });
  });

  it('keeps an integer option’s typed text as text', () => {
    const options: Option[] = [{ name: 'number', type: T.Integer, value: '12', focused: true }];
    expect(findFocusedOption(options)?.value).toBe('12');
  });

  it('finds it inside a subcommand and a subcommand group', () => {
    const sub: Option[] = [
      {
        name: 'remove',
        type: T.Subcommand,
        options: [{ name: 'name', type: T.String, value: '', focused: true }],
      },
    ];
    expect(findFocusedOption(sub)).toEqual({ subcommand: 'remove', name: 'name', type: T.String, value: '' });
    const group: Option[] = [
      {
        name: 'rules',
        type: T.SubcommandGroup,
        options: [
          {
            name: 'edit',
            type: T.Subcommand,
            options: [{ name: 'reason', type: T.String, value: 'x', focused: true }],
          },
        ],
      },
    ];
    expect(findFocusedOption(group)?.subcommand).toBe('rules edit');
  });

  it('is null when nothing is focused', () => {
    expect(findFocusedOption([{ name: 'reason', type: T.String, value: 'x' }])).toBeNull();
    expect(findFocusedOption([])).toBeNull();
  });
});
