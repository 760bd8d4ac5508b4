import { describe, expect, it } from 'vitest';
import { DiscordApiError, redactPath } from '../discord/rest.ts';
import { CommandError, describeDiscordError, describeFailure } from './errors.ts';

const discordError = (fields: Partial<ConstructorParameters<typeof DiscordApiError>[0]>) =>
  new DiscordApiError({
    kind: 'http',
    method: 'PUT',
    route: '/guilds/1/bans/2',
    status: 400,
    code: 0,
    discordMessage: '',
    ...fields,
  });

describe('describeFailure', () => {
  it('shows a CommandError as it is', () => {
    expect(describeFailure(new CommandError('forbidden', 'No.'))).toBe('No.');
  });
  it('maps Discord codes and classes', () => {
    expect(describeFailure(discordError({ status: 404, code: 10026 }))).toBe('That user is not banned.');
    expect(describeFailure(discordError({ status: 429, retryAfterSeconds: 0.2 }))).toBe(
      'Discord is rate limiting me. Try again in 1 second.',
    );
    expect(describeFailure(discordError({ status: 503 }))).toMatch(
      /^Discord had an internal error \(HTTP 503\)/,
    );
    expect(describeFailure(discordError({ kind: 'timeout', status: 0 }))).toMatch(
      /^Discord did not answer in time/,
    );
    expect(describeFailure(discordError({ status: 400, code: 12345 }))).toBe(
      'Discord refused the request (HTTP 400, code 12345).',
    );
  });
  it('promises a case only for work that records one', () => {
    const timeout = discordError({ kind: 'timeout', status: 0 });
    expect(describeFailure(timeout, true)).toBe(
      'Discord did not answer in time. If the action went through, its case will be recorded automatically within a few minutes.',
    );
    // /slowmode, /raidmode, /lockdown: no case to record, so no such promise (the default).
    expect(describeFailure(timeout)).toBe(
      'Discord did not answer in time. It may still have gone through: check before trying again.',
    );
    expect(describeDiscordError(discordError({ status: 502 }), true)).toMatch(
      /case will be recorded automatically; otherwise try again shortly\.$/,
    );
    expect(describeDiscordError(discordError({ status: 502 }))).toBe(
      'Discord had an internal error (HTTP 502). It may still have gone through: check before trying again shortly.',
    );
    // Refusals read the same either way.
    expect(describeFailure(discordError({ status: 404, code: 10026 }), true)).toBe(
      'That user is not banned.',
    );
  });
  it('never shows a driver error', () => {
    expect(describeFailure(new Error('connect ECONNREFUSED postgres://u:pw@db/x'))).toBe(
      'Something went wrong on our side and nothing was changed. Please try again in a moment.',
    );
  });
  it('knows which failures may still have happened at Discord', () => {
    expect(discordError({ status: 502 }).outcomeUnknown).toBe(true);
    expect(discordError({ kind: 'network', status: 0 }).outcomeUnknown).toBe(true);
    expect(discordError({ status: 403, code: 50013 }).outcomeUnknown).toBe(false);
  });
});

describe('redactPath', () => {
  it('hides the token of webhook routes', () => {
    expect(redactPath('/webhooks/42/abcDEF_-123/messages/@original')).toBe(
      '/webhooks/42/:token/messages/@original',
    );
    expect(redactPath('/webhooks/42')).toBe('/webhooks/42');
    expect(redactPath('/guilds/1/bans/2')).toBe('/guilds/1/bans/2');
  });
});
