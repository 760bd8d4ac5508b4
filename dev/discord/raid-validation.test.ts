import { describe, expect, it } from 'vitest';
import {
  checkBulkBanBody,
  checkChannelPatch,
  checkIncidentActions,
  checkMembersQuery,
  checkOverwriteBody,
} from './raid-validation.ts';

const HOUR = 3_600_000;

describe('checkChannelPatch', () => {
  it('takes a name and a slowmode within 0..21600, null as off', () => {
    expect(checkChannelPatch({ name: 'general', rate_limit_per_user: 21_600 })).toEqual({
      ok: true,
      value: { name: 'general', rate_limit_per_user: 21_600 },
    });
    expect(checkChannelPatch({ rate_limit_per_user: null })).toEqual({
      ok: true,
      value: { rate_limit_per_user: 0 },
    });
  });

  it("answers Discord's field errors", () => {
    expect(checkChannelPatch({ rate_limit_per_user: 21_601 })).toEqual({
      ok: false,
      errors: {
        rate_limit_per_user: {
          _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 21600.' }],
        },
      },
    });
    expect(checkChannelPatch({ rate_limit_per_user: -1, name: '' })).toMatchObject({
      ok: false,
      errors: {
        rate_limit_per_user: { _errors: [{ code: 'NUMBER_TYPE_MIN' }] },
        name: {
          _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
        },
      },
    });
    expect(checkChannelPatch({ rate_limit_per_user: 1.5 })).toMatchObject({
      ok: false,
      errors: { rate_limit_per_user: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } },
    });
    expect(checkChannelPatch([])).toMatchObject({
      ok: false,
      errors: { _errors: [{ code: 'DICT_TYPE_CONVERT' }] },
    });
  });
});

describe('checkOverwriteBody', () => {
  it('reads bits as strings or integers, absent as 0, and the type', () => {
    expect(checkOverwriteBody({ type: 0, allow: '2048', deny: 64 })).toEqual({
      ok: true,
      value: { type: 0, allow: 2048n, deny: 64n },
    });
    expect(checkOverwriteBody({})).toEqual({ ok: true, value: { type: null, allow: 0n, deny: 0n } });
  });

  it('refuses an unknown type and bits that are not integers', () => {
    expect(checkOverwriteBody({ type: 2, allow: 'x', deny: -1 })).toMatchObject({
      ok: false,
      errors: {
        type: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] },
        allow: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] },
        deny: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] },
      },
    });
  });
});

describe('checkBulkBanBody', () => {
  const ids = (n: number) =>
    Array.from({ length: n }, (_, i) => String(100_000_000_000_000_000n + BigInt(i)));

  it('takes up to 200 snowflakes, without repeats, and delete_message_seconds', () => {
    const [a, b] = ids(2);
    expect(checkBulkBanBody({ user_ids: [a, b, a], delete_message_seconds: 604_800 })).toEqual({
      ok: true,
      value: { userIds: [a, b], deleteMessageSeconds: 604_800 },
    });
    expect(checkBulkBanBody({ user_ids: ids(200) })).toMatchObject({ ok: true });
  });

  it("answers Discord's field errors", () => {
    expect(checkBulkBanBody({ user_ids: ids(201) })).toEqual({
      ok: false,
      errors: {
        user_ids: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 200 or fewer in length.' }] },
      },
    });
    expect(checkBulkBanBody({})).toMatchObject({
      ok: false,
      errors: { user_ids: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
    });
    expect(checkBulkBanBody({ user_ids: ['1', 'x'], delete_message_seconds: 604_801 })).toMatchObject({
      ok: false,
      errors: {
        user_ids: {
          1: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value "x" is not snowflake.' }] },
        },
        delete_message_seconds: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] },
      },
    });
  });
});

describe('checkIncidentActions', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('takes times up to 24 h ahead, null and absent as off', () => {
    const until = new Date(now + 24 * HOUR).toISOString();
    expect(checkIncidentActions({ invites_disabled_until: until, dms_disabled_until: null }, now)).toEqual({
      ok: true,
      value: { invitesDisabledUntil: new Date(until), dmsDisabledUntil: null },
    });
    expect(checkIncidentActions({}, now)).toEqual({
      ok: true,
      value: { invitesDisabledUntil: null, dmsDisabledUntil: null },
    });
  });

  it('refuses a time more than 24 h ahead, or not a time', () => {
    const late = new Date(now + 24 * HOUR + 1000).toISOString();
    expect(
      checkIncidentActions({ dms_disabled_until: late, invites_disabled_until: 'soon' }, now),
    ).toMatchObject({
      ok: false,
      errors: {
        dms_disabled_until: { _errors: [{ code: 'BASE_TYPE_BAD_DATETIME' }] },
        invites_disabled_until: { _errors: [{ code: 'DATE_TIME_TYPE_PARSE' }] },
      },
    });
  });
});

describe('checkMembersQuery', () => {
  it('defaults to 1 member after 0, and bounds limit to 1..1000', () => {
    expect(checkMembersQuery(new URLSearchParams())).toEqual({ ok: true, value: { limit: 1, after: 0n } });
    expect(checkMembersQuery(new URLSearchParams('limit=1000&after=42'))).toEqual({
      ok: true,
      value: { limit: 1000, after: 42n },
    });
    expect(checkMembersQuery(new URLSearchParams('limit=1001&after=x'))).toMatchObject({
      ok: false,
      errors: {
        limit: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] },
        after: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] },
      },
    });
  });
});
