import { describe, expect, it } from 'vitest';
import { checkMessageBody, isEmptyMessage } from './message-validation.ts';
import {
  charCount,
  checkBanBody,
  checkCommandsBody,
  checkTimeout,
  decodeAuditLogReason,
  isSnowflake,
  limits,
  webhookNameProblems,
} from './validation.ts';

const field = (name: string, value: string) => ({ name, value });

describe('checkMessageBody', () => {
  it('accepts content and embeds within the limits', () => {
    const check = checkMessageBody({
      content: 'x'.repeat(2000),
      embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(4096), fields: [field('n', 'v')] }],
      allowed_mentions: { parse: [] },
    });
    expect(check.ok).toBe(true);
  });

  it('refuses content over 2000 characters with BASE_TYPE_MAX_LENGTH', () => {
    const check = checkMessageBody({ content: 'x'.repeat(2001) });
    expect(check).toEqual({
      ok: false,
      errors: {
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
      },
    });
  });

  it('counts code points, as Discord does, not UTF-16 units', () => {
    expect(charCount('😀😀')).toBe(2);
    expect(checkMessageBody({ content: '😀'.repeat(2000) }).ok).toBe(true);
  });

  it('refuses more than 10 embeds on the embeds array itself', () => {
    const check = checkMessageBody({ embeds: Array.from({ length: 11 }, () => ({ title: 'a' })) });
    expect(check).toEqual({
      ok: false,
      errors: {
        embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
      },
    });
  });

  it('points at the exact embed field that is too long', () => {
    const check = checkMessageBody({
      embeds: [{ title: 'ok' }, { fields: [field('a', 'b'), field('c', 'v'.repeat(1025))] }],
    });
    expect(check).toEqual({
      ok: false,
      errors: {
        embeds: {
          1: {
            fields: {
              1: {
                value: {
                  _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }],
                },
              },
            },
          },
        },
      },
    });
  });

  it.each([
    ['title', { title: 'x'.repeat(257) }, ['title']],
    ['description', { description: 'x'.repeat(4097) }, ['description']],
    ['footer text', { footer: { text: 'x'.repeat(2049) } }, ['footer', 'text']],
    ['author name', { author: { name: 'x'.repeat(257) } }, ['author', 'name']],
    ['field name', { fields: [field('x'.repeat(257), 'v')] }, ['fields', '0', 'name']],
  ])('limits the embed %s', (_label, embed, path) => {
    const check = checkMessageBody({ embeds: [embed] });
    expect(check.ok).toBe(false);
    let node: unknown = !check.ok && check.errors.embeds;
    for (const key of ['0', ...path]) node = (node as Record<string, unknown>)[key];
    expect((node as { _errors: { code: string }[] })._errors[0]?.code).toBe('BASE_TYPE_MAX_LENGTH');
  });

  it('refuses more than 25 fields in an embed', () => {
    const check = checkMessageBody({
      embeds: [{ fields: Array.from({ length: 26 }, () => field('a', 'b')) }],
    });
    expect(check).toMatchObject({
      ok: false,
      errors: { embeds: { 0: { fields: { _errors: [{ message: 'Must be 25 or fewer in length.' }] } } } },
    });
  });

  it('allows exactly 6000 characters across all embeds and refuses 6001', () => {
    const atLimit = [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2000) }];
    expect(checkMessageBody({ embeds: atLimit }).ok).toBe(true);
    const over = [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2000), title: 't' }];
    expect(checkMessageBody({ embeds: over })).toEqual({
      ok: false,
      errors: {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        },
      },
    });
  });

  it('counts title, description, field names and values, footer text and author name toward 6000', () => {
    const embed = {
      title: 'a'.repeat(256),
      description: 'b'.repeat(4096),
      fields: [field('c'.repeat(256), 'd'.repeat(1000))],
      footer: { text: 'e'.repeat(200) },
      author: { name: 'f'.repeat(192) },
    };
    expect(checkMessageBody({ embeds: [embed] }).ok).toBe(true);
    expect(checkMessageBody({ embeds: [{ ...embed, author: { name: 'f'.repeat(193) } }] }).ok).toBe(false);
  });

  it('requires a name and a value on every embed field', () => {
    const check = checkMessageBody({ embeds: [{ fields: [{ name: '', value: 'v' }] }] });
    expect(check).toMatchObject({
      ok: false,
      errors: { embeds: { 0: { fields: { 0: { name: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } } } },
    });
  });

  it('checks a webhook username override only for webhook executions', () => {
    expect(checkMessageBody({ content: 'x', username: 'Clyde' }).ok).toBe(true);
    expect(checkMessageBody({ content: 'x', username: 'Clyde' }, { webhookOverrides: true })).toMatchObject({
      ok: false,
      errors: { username: { _errors: [{ code: 'USERNAME_INVALID_CONTAINS' }] } },
    });
  });
});

describe('isEmptyMessage', () => {
  it('needs content, embeds or components', () => {
    expect(isEmptyMessage({})).toBe(true);
    expect(isEmptyMessage({ content: '', embeds: [] })).toBe(true);
    expect(isEmptyMessage({ content: 'hi' })).toBe(false);
    expect(isEmptyMessage({ embeds: [{}] })).toBe(false);
  });
});

describe('webhookNameProblems', () => {
  it('accepts 1..80 characters', () => {
    expect(webhookNameProblems('Lockdown mod-log')).toBeNull();
    expect(webhookNameProblems('x'.repeat(80))).toBeNull();
  });

  it('refuses empty and over-long names', () => {
    expect(webhookNameProblems('')?.[0]?.code).toBe('BASE_TYPE_BAD_LENGTH');
    expect(webhookNameProblems('x'.repeat(81))?.[0]?.message).toBe('Must be between 1 and 80 in length.');
    expect(webhookNameProblems(undefined)?.[0]?.code).toBe('BASE_TYPE_REQUIRED');
  });

  it('refuses "clyde" and "discord" anywhere, in any case', () => {
    expect(webhookNameProblems('MyClydeBot')).toEqual([
      { code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "clyde"' },
    ]);
    expect(webhookNameProblems('DISCORD logs')?.[0]?.message).toBe('Username cannot contain "discord"');
  });
});

describe('checkTimeout', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('accepts null (lift the timeout), past instants and up to 28 days ahead', () => {
    expect(checkTimeout(null, now)).toEqual({ ok: true, until: null });
    expect(checkTimeout('2024-12-01T00:00:00Z', now).ok).toBe(true);
    expect(checkTimeout(new Date(now + limits.timeoutMs).toISOString(), now).ok).toBe(true);
  });

  it('refuses more than 28 days ahead the way Discord does', () => {
    expect(checkTimeout(new Date(now + limits.timeoutMs + 1000).toISOString(), now)).toEqual({
      ok: false,
      errors: {
        communication_disabled_until: {
          _errors: [
            {
              code: 'INVALID_COMMUNICATION_DISABLED_TIMESTAMP',
              message: 'Invalid communication disabled timestamp',
            },
          ],
        },
      },
    });
  });

  it('refuses what is not a date', () => {
    expect(checkTimeout('tomorrow', now)).toMatchObject({ ok: false });
    expect(checkTimeout(12, now)).toMatchObject({ ok: false });
  });
});

describe('checkBanBody', () => {
  it('accepts 0..604800 seconds, and no body at all', () => {
    expect(checkBanBody(undefined)).toBeNull();
    expect(checkBanBody({ delete_message_seconds: 0 })).toBeNull();
    expect(checkBanBody({ delete_message_seconds: 604_800 })).toBeNull();
  });

  it('refuses out-of-range values with NUMBER_TYPE_MAX / MIN', () => {
    expect(checkBanBody({ delete_message_seconds: 604_801 })).toEqual({
      delete_message_seconds: {
        _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 604800.' }],
      },
    });
    expect(checkBanBody({ delete_message_seconds: -1 })).toMatchObject({
      delete_message_seconds: { _errors: [{ code: 'NUMBER_TYPE_MIN' }] },
    });
    expect(checkBanBody({ delete_message_days: 8 })).toMatchObject({
      delete_message_days: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] },
    });
  });
});

describe('decodeAuditLogReason', () => {
  it('URL-decodes the header', () => {
    expect(decodeAuditLogReason(encodeURIComponent('spam: 3 links & a slur'))).toEqual({
      reason: 'spam: 3 links & a slur',
      errors: null,
    });
    expect(decodeAuditLogReason(undefined)).toEqual({ reason: null, errors: null });
  });

  it('counts the 512-character limit after decoding', () => {
    expect(decodeAuditLogReason(encodeURIComponent('é'.repeat(512))).errors).toBeNull();
    expect(decodeAuditLogReason(encodeURIComponent('é'.repeat(513))).errors).toEqual({
      audit_log_reason: {
        _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 512 or fewer in length.' }],
      },
    });
  });

  it('keeps a header that is not valid percent-encoding as it is', () => {
    expect(decodeAuditLogReason('100%').reason).toBe('100%');
  });
});

describe('isSnowflake', () => {
  it('accepts up to 2^64-1 in decimal', () => {
    expect(isSnowflake('1100000000000000001')).toBe(true);
    expect(isSnowflake('18446744073709551615')).toBe(true);
    expect(isSnowflake('18446744073709551616')).toBe(false);
    expect(isSnowflake('abc')).toBe(false);
    expect(isSnowflake('@me')).toBe(false);
  });
});

describe('checkCommandsBody', () => {
  it('accepts chat-input and context-menu commands', () => {
    expect(
      checkCommandsBody([
        { name: 'ban', description: 'Ban a member' },
        { name: 'Report User', type: 2, description: '' },
      ]),
    ).toBeNull();
  });

  it('refuses upper-case chat-input names, duplicates and missing descriptions', () => {
    const errors = checkCommandsBody([
      { name: 'Ban', description: 'x' },
      { name: 'kick', description: 'x' },
      { name: 'kick', description: 'x' },
      { name: 'warn' },
    ]);
    expect(errors).toMatchObject({
      0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
      2: { name: { _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME' }] } },
      3: { description: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
    });
    expect(checkCommandsBody({})).toMatchObject({ _errors: [{ code: 'BASE_TYPE_ARRAY' }] });
  });
});
