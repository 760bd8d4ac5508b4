import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestLineCase } from '../../shared/digest-embeds.ts';
import { embedLength, embedLimits } from '../../shared/embed-fit.ts';
import type { CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { messageLimits, planBatch } from './batching.ts';
import { assignDigests, DIGEST_MIN_RUN, digestPartEmbed, digestPartSize, partEmbed } from './digest.ts';
import { render, type WorkItem } from './work-item.ts';

const guildId = '900000000000000001';
const mod = '1300000000000000001';

function item(
  n: number,
  data: { type?: CaseEventType; batchId?: string; reason?: string | null; moderatorId?: string } = {},
): WorkItem {
  const event: LockdownEvent = {
    eventId: randomUUID(),
    eventType: data.type ?? 'ban:created',
    timestamp: '2026-12-01T12:00:00.000Z',
    data: {
      id: randomUUID(),
      caseNumber: n,
      guildId,
      userId: String(1_400_000_000_000_000_000n + BigInt(n)),
      moderatorId: data.moderatorId ?? mod,
      reason: data.reason === undefined ? 'raid' : data.reason,
      expiresAt: null,
      ...(data.batchId ? { batchId: data.batchId } : {}),
    },
  };
  return { entryId: `${n}-0`, raw: JSON.stringify(event), event };
}

const batch = (from: number, count: number, batchId = 'b1') =>
  Array.from({ length: count }, (_, i) => item(from + i, { batchId }));

/** Plans the whole queue into messages the way a lane does, returning each message's embeds. */
function drain(queue: WorkItem[]) {
  const messages: { embeds: ReturnType<typeof partEmbed>[]; cases: number[] }[] = [];
  while (queue.length) {
    assignDigests(queue, DIGEST_MIN_RUN);
    const plan = planBatch(queue, {
      maxItems: messageLimits.maxEmbeds,
      maxChars: messageLimits.maxChars,
      size: (i) => {
        const r = render(i);
        return 'size' in r ? r.size : 0;
      },
      key: (i) => i.event.eventId,
      group: (i) => i.digestKey ?? null,
      groupSize: digestPartSize,
    });
    const items = queue.splice(0, plan.take);
    const parts = plan.parts.map((p) => ({
      items: p.indexes.map((i) => items[i] as WorkItem),
      digest: p.group !== null,
      header: p.header,
    }));
    messages.push({
      embeds: parts.map(partEmbed),
      cases: parts.flatMap((p) => p.items.map((i) => i.event.data.caseNumber as number)),
    });
  }
  return messages;
}

describe('assignDigests', () => {
  it('folds two or more of one batch, and runs of five same-kind cases, nothing else', () => {
    const queue = [
      ...batch(1, 2),
      item(3, { reason: 'other' }),
      ...Array.from({ length: 4 }, (_, i) => item(4 + i, { type: 'warning:added' })),
      item(8, { type: 'kick:executed' }),
      ...Array.from({ length: 5 }, (_, i) => item(9 + i, { type: 'warning:added' })),
      item(14, { type: 'warning:added', moderatorId: '1300000000000000002' }),
    ];
    assignDigests(queue, DIGEST_MIN_RUN);
    const keys = queue.map((i) => i.digestKey ?? null);
    expect(keys[0]).toMatch(/^batch:.*"b1"/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys.slice(2, 8)).toEqual([null, null, null, null, null, null]); // a run of 4 stays full
    expect(new Set(keys.slice(8, 13)).size).toBe(1);
    expect(keys[8]).toMatch(/^run:/);
    expect(keys[13]).toBeNull(); // another moderator
  });

  it('keeps a started group together even when fewer than five are left, and 0 turns digests off', () => {
    const queue = Array.from({ length: 3 }, (_, i) => item(i + 1, { type: 'warning:added' }));
    assignDigests(queue, DIGEST_MIN_RUN);
    expect(queue.every((i) => i.digestKey === undefined)).toBe(true);
    (queue[0] as WorkItem).digestKey = `run:${JSON.stringify(['warning:added', mod, 'raid', null])}`;
    assignDigests(queue, DIGEST_MIN_RUN);
    expect(queue.every((i) => i.digestKey === (queue[0] as WorkItem).digestKey)).toBe(true);
    const off = batch(1, 5);
    assignDigests(off, 0);
    expect(off.every((i) => i.digestKey === undefined)).toBe(true);
  });

  it('never folds an item that must travel alone', () => {
    const queue = batch(1, 3);
    (queue[1] as WorkItem).solo = true;
    assignDigests(queue, DIGEST_MIN_RUN);
    expect(queue.map((i) => i.digestKey ?? null)).toEqual([null, null, null]);
  });
});

describe('digest embeds', () => {
  it('name the action, count and cases once, the moderator and reason once, and one line per case', () => {
    const embed = digestPartEmbed(batch(12, 3), true);
    expect(embed.title).toBe('Ban ×3 | Cases #12–#14');
    expect(embed.fields?.map((f) => f.name)).toEqual(['Moderator', 'Reason']);
    expect(embed.fields?.[1]?.value).toBe('raid');
    expect(embed.description?.split('\n')).toEqual([
      '<@1400000000000000012> `1400000000000000012` #12',
      '<@1400000000000000013> `1400000000000000013` #13',
      '<@1400000000000000014> `1400000000000000014` #14',
    ]);
    expect(embed.footer?.text).toBe('Batch b1');
    const more = digestPartEmbed([item(20, { batchId: 'b1' }), item(22, { batchId: 'b1' })], false);
    expect(more.title).toBe('Ban ×2 | Cases #20, #22');
    expect(more.fields).toBeUndefined();
  });

  it('fold a 1,000-case massban into at most 10 messages, every case exactly once, in order, within limits', () => {
    const messages = drain(batch(1, 1000));
    expect(messages.length).toBeLessThanOrEqual(10);
    const shown = messages.flatMap((m) => m.embeds.flatMap((e) => (e.description ?? '').split('\n')));
    expect(shown.map(digestLineCase)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(embedLimits.perMessage);
      expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(embedLimits.total);
      for (const e of m.embeds)
        expect(e.description?.length ?? 0).toBeLessThanOrEqual(embedLimits.description);
      // Every message says who and why.
      expect(m.embeds[0]?.fields?.[0]?.name).toBe('Moderator');
    }
  });

  it('keep single actions full and the queue order across digests and singles', () => {
    const queue = [item(1, { type: 'kick:executed' }), ...batch(2, 40), item(42, { type: 'warning:added' })];
    const [message] = drain(queue);
    expect(message?.cases).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(message?.embeds.map((e) => e.title)).toEqual([
      'Kick | Case #1',
      'Ban ×40 | Cases #2–#41',
      'Warning | Case #42',
    ]);
  });
});

describe('an import: one batch of several kinds, moderators and reasons', () => {
  it('folds runs of one kind by one moderator, each line with its own reason', () => {
    const other = '1300000000000000002';
    const queue = [
      item(1, { batchId: 'imp', reason: 'spam links' }),
      item(2, { batchId: 'imp', reason: 'raid account' }),
      item(3, { batchId: 'imp', type: 'kick:executed', reason: 'alt' }),
      item(4, { batchId: 'imp', type: 'kick:executed', reason: 'alt' }),
      item(5, { batchId: 'imp', moderatorId: other, reason: 'scam' }),
    ];
    assignDigests(queue, DIGEST_MIN_RUN);
    const keys = queue.map((i) => i.digestKey ?? null);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).toBe(keys[3]);
    expect(keys[0]).not.toBe(keys[2]);
    expect(keys[4]).toBeNull(); // alone in its group: its full embed
    const bans = digestPartEmbed(queue.slice(0, 2), true);
    expect(bans.description?.split('\n')).toEqual([
      expect.stringMatching(/#1 — reason: spam links$/),
      expect.stringMatching(/#2 — reason: raid account$/),
    ]);
    expect(bans.fields?.find((f) => f.name === 'Reason')?.value).toBe('Given on each line');
    // One shared reason: lines stay bare.
    const kicks = digestPartEmbed(queue.slice(2, 4), true);
    expect(kicks.description).not.toContain('reason:');
    expect(digestLineCase(bans.description?.split('\n')[1] ?? '')).toBe(2);
  });
});
