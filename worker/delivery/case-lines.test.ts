import { randomUUID } from 'node:crypto';
import { ComponentType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { caseRow } from '../../db/case-row-fixture.ts';
import { digestEmbed } from '../../shared/digest-embeds.ts';
import { embedLimits, embedsLength } from '../../shared/embed-fit.ts';
import { eventEmbed } from '../../shared/embeds.ts';
import type { CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { caseCustomId } from '../../shared/modlog-components.ts';
import type { CaseRow, EditedCase, ModlogTarget } from '../store/relay-store.ts';
import { digestNote, rebuiltEmbeds, singleCaseEmbed } from './case-lines.ts';
import { editedComponents, postedComponents } from './message-components.ts';
import { eventRef, type WorkItem, withEventRef } from './work-item.ts';

const guildId = '900000000000000001';
const mod = '1300000000000000001';
const at = new Date('2026-12-01T12:00:00.000Z');

/** Case `n` of the guild, its own id and member; the rest of the row the fixture's. */
const row = (n: number, fields: Partial<CaseRow> = {}): CaseRow =>
  caseRow({
    id: randomUUID(),
    caseNumber: n,
    guildId,
    action: 'ban',
    userId: String(1_400_000_000_000_000_000n + BigInt(n)),
    moderatorId: mod,
    reason: 'raid',
    createdAt: at,
    dmDelivered: null,
    ...fields,
  });

const undone = (r: CaseRow, by = 40): EditedCase => ({
  row: { ...r, state: 'lifted', endedAt: at },
  ending: { caseNumber: by, moderatorId: '1300000000000000002', at },
});

function item(type: CaseEventType, n: number): WorkItem {
  const event: LockdownEvent = {
    eventId: randomUUID(),
    eventType: type,
    timestamp: at.toISOString(),
    data: {
      id: randomUUID(),
      caseNumber: n,
      guildId,
      userId: `14000000000000000${n}`,
      moderatorId: mod,
      reason: null,
      expiresAt: null,
    },
  };
  return { entryId: `${n}-0`, raw: JSON.stringify(event), event };
}

const target = (owned: boolean): ModlogTarget => ({
  guildId,
  channelId: '1',
  webhook: { id: '2', token: 't' },
  owned,
  broken: null,
});

describe('a case line rebuilt from its row', () => {
  it('says how the case ended and keeps the event reference at the end of the footer', () => {
    const ban = row(12);
    const eventId = randomUUID();
    const posted = withEventRef(
      eventEmbed({
        eventId,
        eventType: 'ban:created',
        timestamp: at.toISOString(),
        data: {
          id: ban.id,
          caseNumber: 12,
          guildId,
          userId: ban.userId,
          moderatorId: mod,
          reason: 'raid',
          expiresAt: null,
        },
      }),
      eventId,
    );
    const fresh = singleCaseEmbed(undone(ban), posted, embedLimits.total);
    expect(fresh.footer?.text).toBe(`Case ${ban.id} · ${eventRef(eventId)}`);
    expect(fresh.fields?.find((f) => f.name === 'Status')?.value).toMatch(
      /^Undone — case #40 by <@1300000000000000002> <t:\d+:f>/,
    );
    // Without a reference (recorded before it existed), none is invented.
    expect(singleCaseEmbed(undone(ban), { title: 'x' }, embedLimits.total).footer?.text).toBe(
      `Case ${ban.id}`,
    );
  });

  it('gives a digest line a note of its end, after an edited reason, and a short form', () => {
    expect(digestNote(undone(row(12)), 'ended')).toEqual({
      note: 'undone: case #40',
      short: 'undone: case #40 (/case 12)',
    });
    const edited = undone(row(12, { reason: 'an alt', reasonEditedBy: mod }));
    expect(digestNote(edited, 'ended').note).toBe(`reason: an alt (edited by <@${mod}>) · undone: case #40`);
    expect(digestNote({ row: row(12, { reason: 'x' }), ending: null }, 'reason')).toEqual({
      note: 'reason: x',
      short: 'reason edited: /case 12',
    });
    expect(digestNote({ row: row(12, { state: 'expired' }), ending: null }, 'ended').note).toBe('expired');
  });

  it('rebuilds every changed line of a message once, within 6,000 characters, or says it cannot', () => {
    const lines = Array.from({ length: 70 }, (_, i) => row(i + 1));
    const digest = digestEmbed({
      action: 'ban',
      temporary: false,
      moderatorId: mod,
      reason: 'r'.repeat(1000),
      expiresAt: null,
      header: true,
      createdAt: at,
      lines: lines.map((r) => ({ caseNumber: r.caseNumber, userId: r.userId })),
    });
    const single = row(200);
    const embeds = [
      digest,
      eventEmbed({
        eventId: randomUUID(),
        eventType: 'ban:created',
        timestamp: at.toISOString(),
        data: {
          id: single.id,
          caseNumber: 200,
          guildId,
          userId: single.userId,
          moderatorId: mod,
          reason: 'y'.repeat(900),
          expiresAt: null,
        },
      }),
    ];
    const caseIds = [lines.map((r) => r.id), single.id];
    const changed = [...lines.map((r) => undone(r, 300 + r.caseNumber)), undone(single, 500)];
    const rebuilt = rebuiltEmbeds(embeds, caseIds, changed, 'ended');
    expect(rebuilt).not.toBeNull();
    expect(embedsLength(rebuilt ?? [])).toBeLessThanOrEqual(embedLimits.total);
    const shown = rebuilt?.[0]?.description?.split('\n') ?? [];
    expect(shown).toHaveLength(70);
    expect(shown[0]).toMatch(/ #1 — undone: case #301/);
    expect(rebuilt?.[1]?.fields?.find((f) => f.name === 'Status')?.value).toMatch(/^Undone — case #500/);
    expect(rebuiltEmbeds(embeds, caseIds, [undone(row(999))], 'ended')).toBeNull();
  });
});

describe('the buttons of a mod-log message', () => {
  const part = (items: WorkItem[], digest = false) => ({ items, digest, header: digest });

  it('gives one case Edit reason, Undo and History, several a menu, a digest or audit line none', () => {
    const ban = item('ban:created', 7);
    const [row0] = postedComponents([part([ban])], target(true)) ?? [];
    expect(row0?.components.map((c) => ('custom_id' in c ? c.custom_id : null))).toEqual([
      caseCustomId('reason', ban.event.data.id as string),
      caseCustomId('undo', ban.event.data.id as string),
      caseCustomId('history', ban.event.data.id as string),
    ]);
    const kick = item('kick:executed', 8);
    const [menu] = postedComponents([part([ban]), part([kick])], target(true)) ?? [];
    expect(menu?.components[0]?.type).toBe(ComponentType.StringSelect);
    expect(
      postedComponents([part([item('ban:created', 9), item('ban:created', 10)], true)], target(true)),
    ).toBeUndefined();
    expect(postedComponents([part([ban])], target(false))).toBeUndefined();
    expect(postedComponents([part([{ ...ban, plain: true }])], target(true))).toBeUndefined();
  });

  it('recomputes them from the cases as they are now, in the message order', () => {
    const a = row(1);
    const b = row(2, { action: 'kick' });
    const [only] =
      editedComponents(
        [a.id],
        [{ caseId: a.id, caseNumber: 1, action: 'ban', active: false }],
        target(true),
      ) ?? [];
    expect(only?.components.map((c) => ('label' in c ? c.label : null))).toEqual(['Edit reason', 'History']);
    const [menu] =
      editedComponents(
        [null, b.id, [a.id], a.id],
        [
          { caseId: a.id, caseNumber: 1, action: 'ban', active: true },
          { caseId: b.id, caseNumber: 2, action: 'kick', active: true },
        ],
        target(true),
      ) ?? [];
    const select = menu?.components[0];
    expect(select?.type === ComponentType.StringSelect && select.options.map((o) => o.value)).toEqual([
      b.id,
      a.id,
    ]);
    expect(editedComponents([a.id], [], target(true))).toBeUndefined();
  });
});
