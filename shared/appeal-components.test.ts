// The appeal custom_ids are parsed strictly: only the four kinds, one UUID, nothing after it.
import { describe, expect, it } from 'vitest';
import {
  appealButtonRow,
  appealCustomId,
  appealDecisionRow,
  parseAppealCustomId,
} from './appeal-components.ts';

const id = '0b7e7c1e-6f3c-4a59-9d3a-2f1f4b6a8c01';

describe('appeal custom_ids', () => {
  it('round-trips each kind', () => {
    for (const kind of ['open', 'submit', 'accept', 'deny'] as const)
      expect(parseAppealCustomId(appealCustomId(kind, id))).toEqual({ kind, id });
  });

  it('refuses other prefixes, kinds, ids and trailing parts', () => {
    for (const bad of [
      `case:open:${id}`,
      `appeal:undo:${id}`,
      'appeal:open:12',
      `appeal:open:${id}:x`,
      'appeal:open',
    ])
      expect(parseAppealCustomId(bad)).toBeNull();
  });

  it('builds the DM button and the mod-log line’s two', () => {
    expect(appealButtonRow(id).components.map((b) => 'custom_id' in b && b.custom_id)).toEqual([
      `appeal:open:${id}`,
    ]);
    expect(appealDecisionRow(id).components.map((b) => 'custom_id' in b && b.custom_id)).toEqual([
      `appeal:accept:${id}`,
      `appeal:deny:${id}`,
    ]);
  });
});
