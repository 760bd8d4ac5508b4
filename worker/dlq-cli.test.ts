import { describe, expect, it } from 'vitest';
import { confirmationNeeded, formatDeadLetter, parseDlqArgs, purgeQuestion } from './dlq-cli.ts';

const guild = '1234567890123456789';
const event = '7d1a1c49-9a4e-4a57-8d1b-2f7e3b9c0d11';

describe('parseDlqArgs', () => {
  it('reads list with its filters; waiting rows only unless --all', () => {
    expect(parseDlqArgs(['list'])).toEqual({
      ok: true,
      value: { command: 'list', filter: { replayed: false }, json: false, limit: 1000 },
    });
    expect(
      parseDlqArgs(['list', '--guild', guild, '--reason=webhook_invalid', '--all', '--json', '--limit', '5']),
    ).toEqual({
      ok: true,
      value: { command: 'list', filter: { guildId: guild, reason: 'webhook_invalid' }, json: true, limit: 5 },
    });
  });

  it('reads replay by guild or by event', () => {
    expect(parseDlqArgs(['replay'])).toMatchObject({
      ok: true,
      value: { command: 'replay', filter: { replayed: false } },
    });
    expect(parseDlqArgs(['replay', '--guild', guild])).toMatchObject({
      value: { filter: { guildId: guild } },
    });
    expect(parseDlqArgs(['replay', '--event', event, '--dry-run'])).toMatchObject({
      value: { filter: { eventId: event }, dryRun: true },
    });
  });

  it('reads purge, which needs exactly one scope', () => {
    expect(parseDlqArgs(['purge', '--replayed'])).toEqual({
      ok: true,
      value: { command: 'purge', filter: { replayed: true }, all: false },
    });
    expect(parseDlqArgs(['purge', '--all'])).toMatchObject({ value: { filter: {}, all: true } });
    expect(parseDlqArgs(['purge'])).toEqual({
      ok: false,
      error: 'purge needs --guild ID, --event ID, --replayed or --all',
    });
    expect(parseDlqArgs(['purge', '--all', '--guild', guild])).toMatchObject({ ok: false });
  });

  it('explains bad arguments', () => {
    expect(parseDlqArgs(['frobnicate'])).toEqual({
      ok: false,
      error: 'unknown command "frobnicate" (use list, replay or purge)',
    });
    expect(parseDlqArgs(['list', '--guild'])).toEqual({ ok: false, error: '--guild needs a value' });
    expect(parseDlqArgs(['list', '--guild', 'abc'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('snowflake'),
    });
    expect(parseDlqArgs(['replay', '--event', 'nope'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('UUID'),
    });
    expect(parseDlqArgs(['replay', '--guild', guild, '--event', event])).toMatchObject({ ok: false });
    expect(parseDlqArgs(['replay', '--all'])).toEqual({
      ok: false,
      error: 'unknown option "--all" for replay',
    });
    expect(parseDlqArgs(['list', '--reason', 'bored'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('--reason'),
    });
    expect(parseDlqArgs(['list', '--limit', '0'])).toMatchObject({ ok: false });
    expect(parseDlqArgs(['list', '--json=yes'])).toEqual({ ok: false, error: '--json takes no value' });
    expect(parseDlqArgs(['list', '--guild', guild, '--guild', guild])).toEqual({
      ok: false,
      error: '--guild given twice',
    });
  });

  it('treats no command as help', () => {
    expect(parseDlqArgs([])).toEqual({ ok: true, value: { command: 'help' } });
    expect(parseDlqArgs(['--help'])).toEqual({ ok: true, value: { command: 'help' } });
  });
});

describe('formatDeadLetter', () => {
  it('prints one line with what identifies the letter', () => {
    const line = formatDeadLetter({
      id: 'x',
      eventId: event,
      guildId: guild,
      streamEntryId: '1-0',
      raw: '{}',
      reason: 'bad_payload',
      detail: 'Discord answered 400',
      createdAt: new Date('2025-01-01T00:00:00Z'),
      replayedAt: null,
    });
    expect(line).toBe(
      `2025-01-01T00:00:00.000Z  bad_payload        guild ${guild}  event ${event}  entry 1-0  waiting  — Discord answered 400`,
    );
  });
});

describe('confirming a purge', () => {
  it('goes ahead with --yes, asks on a terminal, refuses otherwise', () => {
    expect(parseDlqArgs(['purge', '--all', '--yes'])).toMatchObject({ value: { all: true, yes: true } });
    expect(confirmationNeeded({ yes: true, interactive: false })).toBe('go');
    expect(confirmationNeeded({ yes: false, interactive: true })).toBe('ask');
    expect(confirmationNeeded({ yes: false, interactive: false })).toBe('refuse');
    expect(purgeQuestion(3, {})).toBe(
      'Delete 3 dead letters in total (waiting and replayed) for good? [y/N] ',
    );
    expect(purgeQuestion(1, { guildId: guild })).toContain(`1 dead letter of guild ${guild}`);
  });
});
