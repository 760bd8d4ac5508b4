import type { APIChatInputApplicationCommandInteractionData } from 'discord-api-types/v10';
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { normaliseReason, readOptions } from './options.ts';

const data = (options: unknown[], resolved: unknown = {}) =>
  ({
    id: '1',
    name: 'x',
    type: ApplicationCommandType.ChatInput,
    options,
    resolved,
  }) as APIChatInputApplicationCommandInteractionData;

describe('readOptions', () => {
  it('reads typed values by name and ignores mistyped ones', () => {
    const options = readOptions(
      data([
        { name: 'reason', type: ApplicationCommandOptionType.String, value: 'spam' },
        { name: 'number', type: ApplicationCommandOptionType.Integer, value: 3 },
        { name: 'page', type: ApplicationCommandOptionType.String, value: '2' },
      ]),
    );
    expect(options.string('reason')).toBe('spam');
    expect(options.integer('number')).toBe(3);
    expect(options.integer('page')).toBeNull();
    expect(options.string('missing')).toBeNull();
    expect(options.subcommand).toBeNull();
  });

  it('resolves users and members', () => {
    const options = readOptions(
      data([{ name: 'user', type: ApplicationCommandOptionType.User, value: '42' }], {
        users: { '42': { id: '42', username: 'x' } },
        members: { '42': { roles: ['7'] } },
      }),
    );
    expect(options.user('user')).toEqual({
      id: '42',
      user: { id: '42', username: 'x' },
      member: { roles: ['7'] },
    });
  });

  it('reports a non-member as member null', () => {
    const options = readOptions(
      data([{ name: 'user', type: ApplicationCommandOptionType.User, value: '42' }]),
    );
    expect(options.user('user')).toEqual({ id: '42', user: null, member: null });
  });

  it('steps into a subcommand', () => {
    const options = readOptions(
      data([
        {
          name: 'set',
          type: ApplicationCommandOptionType.Subcommand,
          options: [{ name: 'channel', type: ApplicationCommandOptionType.Channel, value: '9' }],
        },
      ]),
    );
    expect(options.subcommand).toBe('set');
    expect(options.channel('channel')).toBe('9');
  });
});

describe('normaliseReason', () => {
  it('trims and treats blank as none', () => {
    expect(normaliseReason('  spam  ')).toBe('spam');
    expect(normaliseReason('   ')).toBeNull();
    expect(normaliseReason(null)).toBeNull();
  });
});
