import { describe, expect, it } from 'vitest';
import {
  compareStreamIds,
  decodeEntry,
  insertSorted,
  parseEntries,
  parseReadReply,
  streamIdTime,
  unknownEventOf,
} from './entries.ts';

const eventId = '7d1a1c49-9a4e-4a57-8d1b-2f7e3b9c0d11';
const envelope = {
  eventId,
  eventType: 'ban:created',
  timestamp: '2025-03-01T12:00:00.000Z',
  data: {
    id: 'a3c0f7f2-3d55-4c3c-8a7d-1c2b3a4d5e6f',
    caseNumber: 1,
    guildId: '900000000000000001',
    userId: '900000000000000002',
    moderatorId: '900000000000000003',
    reason: null,
    expiresAt: null,
    somethingNew: { nested: true },
  },
};

describe('parsing replies', () => {
  it('reads XREADGROUP replies, including trimmed pending entries', () => {
    const reply = [
      [
        'k',
        [
          ['1-0', ['event', '{}']],
          ['2-0', null],
        ],
      ],
    ];
    expect(parseReadReply(reply)).toEqual([
      { id: '1-0', fields: ['event', '{}'] },
      { id: '2-0', fields: null },
    ]);
    expect(parseReadReply(null)).toEqual([]);
    expect(parseEntries('nonsense')).toEqual([]);
  });
});

describe('decodeEntry', () => {
  it('decodes an envelope and keeps unknown fields', () => {
    const decoded = decodeEntry({ id: '1-0', fields: ['event', JSON.stringify(envelope)] });
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.event?.data.somethingNew).toEqual({ nested: true });
  });

  it('reports garbage without throwing, keeping what identifies it', () => {
    expect(decodeEntry({ id: '1-0', fields: ['event', 'not json'] })).toEqual({
      ok: false,
      id: '1-0',
      raw: 'not json',
      error: 'not JSON',
      eventId: null,
      guildId: null,
    });
    const badType = decodeEntry({
      id: '1-1',
      fields: ['event', JSON.stringify({ ...envelope, eventType: 42 })],
    });
    expect(badType).toMatchObject({ ok: false, eventId, guildId: '900000000000000001' });
    const badId = decodeEntry({
      id: '1-2',
      fields: ['event', JSON.stringify({ ...envelope, eventId: 'nope' })],
    });
    expect(badId).toMatchObject({ ok: false, error: 'eventId is not a UUID', eventId: null });
    expect(decodeEntry({ id: '1-3', fields: ['other', 'x'] })).toMatchObject({
      ok: false,
      raw: '["other","x"]',
    });
    expect(decodeEntry({ id: '1-4', fields: null })).toMatchObject({
      ok: false,
      error: 'entry was trimmed from the stream',
    });
  });
});

describe('events of a type this relay does not know', () => {
  const entry = (value: unknown) => decodeEntry({ id: '2-0', fields: ['event', JSON.stringify(value)] });

  it('are told apart from garbage: acked as unknown, with what orders them', () => {
    expect(entry({ ...envelope, eventType: 'raid:detected', sequence: 7 })).toEqual({
      ok: true,
      id: '2-0',
      raw: JSON.stringify({ ...envelope, eventType: 'raid:detected', sequence: 7 }),
      unknown: { eventId, eventType: 'raid:detected', guildId: '900000000000000001', sequence: 7 },
    });
    // No guild or number: still unknown, just not tied to a lane.
    expect(entry({ ...envelope, eventType: 'x:y', data: {} })).toMatchObject({
      ok: true,
      unknown: { eventType: 'x:y', guildId: null, sequence: null },
    });
    expect(unknownEventOf({ ...envelope, eventType: 'x:y' })?.eventType).toBe('x:y');
  });

  it('must still be well formed: else undecodable', () => {
    expect(entry({ ...envelope, eventType: 'raid:detected', eventId: 'nope' }).ok).toBe(false);
    expect(entry({ ...envelope, eventType: 'raid:detected', timestamp: 'soon' }).ok).toBe(false);
    expect(entry({ ...envelope, eventType: 'raid:detected', data: null }).ok).toBe(false);
    expect(entry({ ...envelope, eventType: 'no colon' }).ok).toBe(false);
    expect(entry({ ...envelope, eventType: `a:${'b'.repeat(200)}` }).ok).toBe(false);
    // A known type with a broken body is undecodable, not unknown.
    expect(entry({ ...envelope, data: { guildId: '1' } }).ok).toBe(false);
  });
});

describe('stream ids', () => {
  it('compares numerically', () => {
    expect(compareStreamIds('999-0', '1000-0')).toBe(-1);
    expect(compareStreamIds('1000-10', '1000-9')).toBe(1);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    expect(streamIdTime('1700000000000-3')).toBe(1_700_000_000_000);
  });

  it('inserts in order', () => {
    const list = [{ entryId: '1-0' }, { entryId: '3-0' }];
    insertSorted(list, { entryId: '4-0' });
    insertSorted(list, { entryId: '2-0' });
    insertSorted(list, { entryId: '0-1' });
    expect(list.map((i) => i.entryId)).toEqual(['0-1', '1-0', '2-0', '3-0', '4-0']);
  });
});
