import type { APIChatInputApplicationCommandInteractionData } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { readOptions } from '../interactions/options.ts';
import { readDeleteMessageSeconds } from './inputs.ts';

const withDelete = (value?: string) =>
  readOptions({
    id: '1',
    name: 'ban',
    type: 1,
    options: value === undefined ? [] : [{ name: 'delete_messages', type: 3, value }],
  } as APIChatInputApplicationCommandInteractionData);

describe('readDeleteMessageSeconds', () => {
  it('maps the choices to seconds, none to 0, and refuses others by name', () => {
    expect(readDeleteMessageSeconds(withDelete())).toBe(0);
    expect(readDeleteMessageSeconds(withDelete('7d'))).toBe(604_800);
    expect(() => readDeleteMessageSeconds(withDelete('8d'))).toThrow(
      /^`delete_messages` must be one of: none, 1h/,
    );
  });
});
