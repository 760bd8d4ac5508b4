import type { APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  caseRanges,
  digestEmbed,
  digestLine,
  digestLineCase,
  digestTitle,
  withDigestLine,
} from './digest-embeds.ts';
import { embedLength, embedLimits, embedsLength, fitEmbed, truncate } from './embed-fit.ts';
import { caseEmbed, caseLogEmbed, eventColours, eventEmbed, stateText } from './embeds.ts';
import type { AuditEventData, CaseEventData, CaseEventType, LockdownEvent } from './events.ts';
import type { MessageEvidence } from './evidence.ts';

const guildId = '900000000000000001';
const userId = '900000000000000002';
const moderatorId = '900000000000000003';
const caseId = '0b6f3f9e-6f2c-4d3e-9a51-6d2b0c1f4a10';
const at = '2025-03-01T12:00:00.000Z';

function caseEvent(eventType: CaseEventType, data: Partial<CaseEventData> = {}): LockdownEvent {
  return {
    eventId: 'c7d1a1c4-9a4e-4a57-8d1b-2f7e3b9c0d11',
    eventType,
    timestamp: at,
    data: {
      id: caseId,
      caseNumber: 12,
      guildId,
      userId,
      moderatorId,
      reason: 'spam',
      expiresAt: null,
      ...data,
    },
  };
}

function auditEvent(data: Partial<AuditEventData> = {}): LockdownEvent {
  return {
    eventId: 'c7d1a1c4-9a4e-4a57-8d1b-2f7e3b9c0d12',
    eventType: 'audit:logged',
    timestamp: at,
    data: {
      id: null,
      caseNumber: null,
      guildId,
      userId: null,
      moderatorId,
      reason: null,
      expiresAt: null,
      action: 'modlog.set',
      ...data,
    },
  };
}

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('', 0)).toBe('');
  });

  it('cuts to exactly the limit with an ellipsis, without trailing spaces before it', () => {
    const cut = truncate('word '.repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/\s…$/);
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });

  it('never splits a surrogate pair or a grapheme, and counts UTF-16 units', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 units
    const cut = truncate(emoji, 8);
    expect(cut.length).toBeLessThanOrEqual(8);
    expect(cut).toBe('😀😀😀…');
    const family = '👨‍👩‍👧‍👦'; // one grapheme of 11 units
    expect(truncate(`ab${family}${family}`, 14)).toBe(`ab${family}…`);
    // Every code point survives as a whole: no lone surrogates.
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(truncate('a😀'.repeat(40), 31))).toBe(false);
  });

  it('returns an empty string for a non-positive limit', () => {
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('eventEmbed', () => {
  it('renders a permanent ban exactly', () => {
    expect(eventEmbed(caseEvent('ban:created'))).toEqual({
      title: 'Ban | Case #12',
      color: eventColours['ban:created'],
      fields: [
        { name: 'Member', value: `<@${userId}> (\`${userId}\`)`, inline: true },
        { name: 'Moderator', value: `<@${moderatorId}> (\`${moderatorId}\`)`, inline: true },
        { name: 'Reason', value: 'spam', inline: false },
      ],
      timestamp: at,
      footer: { text: `Case ${caseId}` },
    });
  });

  it('renders a temporary ban with its duration and its end as Discord timestamps', () => {
    const embed = eventEmbed(caseEvent('ban:created', { expiresAt: '2025-03-08T12:00:00.000Z' }));
    const end = Date.parse('2025-03-08T12:00:00.000Z') / 1000;
    expect(embed.title).toBe('Temporary ban | Case #12');
    expect(embed.fields?.slice(3)).toEqual([
      { name: 'Duration', value: '1 week', inline: true },
      { name: 'Ends', value: `<t:${end}:f> (<t:${end}:R>)`, inline: true },
    ]);
  });

  it('gives each event type its own colour and title', () => {
    const expected: Record<CaseEventType, string> = {
      'ban:created': 'Ban | Case #12',
      'ban:removed': 'Unban | Case #12',
      'kick:executed': 'Kick | Case #12',
      'mute:applied': 'Mute | Case #12',
      'mute:removed': 'Unmute | Case #12',
      'warning:added': 'Warning | Case #12',
      'note:added': 'Note | Case #12',
      'automod:blocked': 'AutoMod blocked a message | Case #12',
      'automod:flagged': 'AutoMod flagged a message | Case #12',
    };
    for (const [type, title] of Object.entries(expected) as [CaseEventType, string][]) {
      const embed = eventEmbed(caseEvent(type));
      expect(embed.title).toBe(title);
      expect(embed.color).toBe(eventColours[type]);
    }
    expect(new Set(Object.values(eventColours)).size).toBe(Object.keys(eventColours).length);
  });

  it('renders a mute with duration and expiry, and says when no reason was given', () => {
    const embed = eventEmbed(
      caseEvent('mute:applied', { reason: null, expiresAt: '2025-03-01T14:30:00.000Z' }),
    );
    expect(embed.fields?.find((f) => f.name === 'Reason')?.value).toBe('*No reason given*');
    expect(embed.fields?.find((f) => f.name === 'Duration')?.value).toBe('2 hours, 30 minutes');
  });

  it('truncates a very long reason cleanly and stays within every limit', () => {
    const embed = eventEmbed(caseEvent('kick:executed', { reason: `${'x'.repeat(5000)} end` }));
    const reason = embed.fields?.find((f) => f.name === 'Reason')?.value ?? '';
    expect(reason.length).toBe(embedLimits.fieldValue);
    expect(reason.endsWith('…')).toBe(true);
    expect(embedLength(embed)).toBeLessThanOrEqual(embedLimits.total);
  });

  it('renders audit events, and keeps huge details within the 6000 total', () => {
    const set = eventEmbed(auditEvent({ details: { channel: '<#1>' } }));
    expect(set.title).toBe('Mod-log channel set');
    expect(set.color).toBe(eventColours['audit:logged']);
    const details = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`detail ${i}`, 'y'.repeat(2000)]),
    );
    const big = eventEmbed(auditEvent({ action: 'case.reason_edited', caseNumber: 3, details }));
    expect(big.title).toBe('Case reason edited');
    expect(big.fields?.length).toBeLessThanOrEqual(embedLimits.fields);
    expect(embedLength(big)).toBeLessThanOrEqual(embedLimits.total);
    for (const f of big.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(embedLimits.fieldValue);
  });

  it('renders the same line from a case row as from its event', () => {
    const event = caseEvent('mute:applied', { expiresAt: '2025-03-02T12:00:00.000Z', dmDelivered: true });
    const fromRow = caseLogEmbed({
      caseId,
      caseNumber: 12,
      action: 'mute',
      userId,
      moderatorId,
      reason: 'spam',
      createdAt: new Date(at),
      expiresAt: new Date('2025-03-02T12:00:00.000Z'),
      dmDelivered: true,
    });
    expect(fromRow).toEqual(eventEmbed(event));
  });
});

describe('embedLength and fitEmbed', () => {
  it('counts title, description, field names and values, footer and author', () => {
    expect(
      embedLength({
        title: 'ab',
        description: 'cde',
        fields: [{ name: 'f', value: 'gh' }],
        footer: { text: 'ij' },
        author: { name: 'k' },
      }),
    ).toBe(11);
    expect(embedsLength([{ title: 'abc' }, { description: 'de' }])).toBe(5);
  });

  it('leaves a fitting embed as it is', () => {
    const embed = { title: 'x', fields: [{ name: 'a', value: 'b' }] };
    expect(fitEmbed(embed)).toBe(embed);
  });

  it('shortens the description, then the last fields, then drops fields', () => {
    const fitted = fitEmbed(
      { title: 't', description: 'd'.repeat(300), fields: [{ name: 'n', value: 'v'.repeat(300) }] },
      200,
    );
    expect(embedLength(fitted)).toBeLessThanOrEqual(200);
    const dropped = fitEmbed(
      { title: 't', fields: Array.from({ length: 10 }, () => ({ name: 'name', value: 'v'.repeat(60) })) },
      200,
    );
    expect(embedLength(dropped)).toBeLessThanOrEqual(200);
    expect(dropped.fields?.length).toBeLessThan(10);
  });
});

describe('caseEmbed and a reason edit', () => {
  const view = {
    caseNumber: 3,
    action: 'ban' as const,
    userId: '1',
    moderatorId: '2',
    reason: 'rewritten',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: null,
  };
  it('shows who edited the reason and when, in /case and the mod-log line alike', () => {
    const edited = { ...view, reasonEditedBy: '9', reasonEditedAt: new Date('2026-01-02T00:00:00Z') };
    const expected = {
      name: 'Reason edited',
      value: 'by <@9> <t:1767312000:f> (<t:1767312000:R>)',
      inline: true,
    };
    expect(caseEmbed(edited).fields).toContainEqual(expected);
    expect(caseLogEmbed({ ...edited, caseId: 'c' }).fields).toContainEqual(expected);
  });
  it('shows nothing for a reason never edited', () => {
    expect(caseEmbed(view).fields?.map((f) => f.name)).not.toContain('Reason edited');
  });
});

describe('digest rendering', () => {
  const line = { caseNumber: 12, userId: '1400000000000000012' };

  it('writes and reads back a line, with or without a note', () => {
    expect(digestLine(line)).toBe('<@1400000000000000012> `1400000000000000012` #12');
    expect(digestLineCase(digestLine(line))).toBe(12);
    expect(digestLineCase(digestLine({ ...line, note: 'reason: spam #99' }))).toBe(12);
    expect(digestLineCase('Moderator <@1>')).toBeNull();
  });

  it('names consecutive cases as a range and others as a list', () => {
    expect(caseRanges([14, 12, 13])).toBe('#12–#14');
    expect(caseRanges([1, 3, 4, 5, 9])).toBe('#1, #3–#5, #9');
    const title = digestTitle({
      action: 'ban',
      temporary: true,
      lines: Array.from({ length: 200 }, (_, i) => ({ caseNumber: i * 2, userId: '1' })),
    });
    expect(title.length).toBeLessThanOrEqual(embedLimits.title);
    expect(title.startsWith('Temporary ban ×200 | Cases #0, #2')).toBe(true);
  });

  it('edits one line in place, within the limits, and says where to look when the note cannot fit', () => {
    const view = {
      action: 'ban' as const,
      temporary: false,
      moderatorId: '1',
      reason: 'raid',
      expiresAt: null,
      header: true,
      createdAt: new Date(0),
      lines: [line, { caseNumber: 13, userId: '1400000000000000013' }],
    };
    const embed = digestEmbed(view);
    const edited = withDigestLine(embed, { ...line, note: 'reason: an alt' }, embedLimits.total);
    expect(edited?.description?.split('\n')).toEqual([
      '<@1400000000000000012> `1400000000000000012` #12 — reason: an alt',
      '<@1400000000000000013> `1400000000000000013` #13',
    ]);
    expect(withDigestLine(embed, { caseNumber: 99, userId: '1' }, embedLimits.total)).toBeNull();
    const tight = embedLength(embed) + 30;
    const short = withDigestLine(embed, { ...line, note: `reason: ${'x'.repeat(500)}` }, tight);
    expect(short?.description?.split('\n')[0]).toBe(
      '<@1400000000000000012> `1400000000000000012` #12 — reason edited: /case 12',
    );
    expect(embedLength(short as APIEmbed)).toBeLessThanOrEqual(tight);
  });
});

describe('cases and lines from the audit log', () => {
  it('shows a bulk ban made in Discord with its moderator unknown, and names DM spam as such', () => {
    const embed = eventEmbed(caseEvent('ban:created', { moderatorId: '0', source: 'discord' }));
    expect(embed.fields?.find((f) => f.name === 'Moderator')?.value).toBe(
      'Unknown (a bulk ban made in Discord)',
    );
    expect(embed.fields?.find((f) => f.name === 'Source')?.value).toMatch(/^Discord/);
    const audit = (incident: string) =>
      eventEmbed({
        eventId: 'e',
        eventType: 'audit:logged',
        timestamp: '2026-01-01T00:00:00.000Z',
        data: {
          id: null,
          caseNumber: null,
          guildId: 'g',
          userId: null,
          moderatorId: 'app',
          reason: null,
          expiresAt: null,
          action: 'discord.incident',
          details: { incident },
        },
      }).title;
    const automod = eventEmbed(
      caseEvent('mute:applied', { source: 'automod', automodRule: 'No invite links' }),
    );
    expect(automod.fields?.find((f) => f.name === 'Moderator')?.value).toBe('AutoMod');
    expect(automod.fields?.find((f) => f.name === 'Source')?.value).toBe('AutoMod (rule: No invite links)');
    expect(audit('raid')).toBe('Discord detected a raid');
    expect(audit('dm_spam')).toBe('Discord detected DM spam');
  });
});

describe('evidence and how a case ended', () => {
  const evidence: MessageEvidence = {
    messageId: '900000000000000010',
    channelId: '900000000000000011',
    authorId: userId,
    content: 'buy cheap nitro @everyone',
    truncated: false,
    attachments: ['scam.png'],
    sentAt: '2025-03-01T11:59:00.000Z',
  };
  const field = (embed: APIEmbed, name: string) => embed.fields?.find((f) => f.name === name)?.value;

  it('shows the message an event was given for: link, author, channel, time, text quoted, files', () => {
    const embed = eventEmbed(caseEvent('warning:added', { evidence }));
    const sent = Date.parse(evidence.sentAt) / 1000;
    expect(field(embed, 'Evidence')).toBe(
      `[Message](https://discord.com/channels/${guildId}/${evidence.channelId}/${evidence.messageId}) by <@${userId}> in <#${evidence.channelId}>, <t:${sent}:f> (<t:${sent}:R>)\n` +
        '> buy cheap nitro @\u200beveryone\nAttachments: scam.png',
    );
    // A case row renders the same line as its event.
    const fromRow = caseLogEmbed({
      caseId,
      caseNumber: 12,
      action: 'warn',
      userId,
      moderatorId,
      reason: 'spam',
      createdAt: new Date(at),
      expiresAt: null,
      guildId,
      evidence,
    });
    expect(fromRow).toEqual(eventEmbed(caseEvent('warning:added', { evidence })));
  });

  it('keeps a 1,000-character message with mentions and 10 attachments within every limit', () => {
    const content = Array.from({ length: 40 }, (_, i) => `@everyone <@${userId}> line ${i} @here`)
      .join('\n')
      .slice(0, 1000);
    const attachments = Array.from({ length: 10 }, (_, i) => `${'very-long-file-name-'.repeat(12)}${i}.png`);
    const big = { ...evidence, content, truncated: true, attachments };
    const embed = eventEmbed(
      caseEvent('ban:created', {
        evidence: big,
        reason: 'r'.repeat(1024),
        expiresAt: '2025-03-08T12:00:00Z',
      }),
    );
    const value = field(embed, 'Evidence') ?? '';
    expect(value.length).toBeLessThanOrEqual(embedLimits.fieldValue);
    expect(embedLength(embed)).toBeLessThanOrEqual(embedLimits.total);
    for (const f of embed.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(embedLimits.fieldValue);
    expect(value).not.toMatch(/@(everyone|here)/);
    // The text keeps most of its room: the file names take a bounded share, then "and N more".
    expect(value).toMatch(/\nAttachments: .+ and \d+ more$/);
    expect(value.split('\nAttachments: ')[1]?.length).toBeLessThanOrEqual(300);
    expect(value.match(/^> /gm)?.length).toBeGreaterThan(5);
    // Cut cleanly: no half mention before the ellipsis.
    expect(value).not.toMatch(/<@\d*…/);
  });

  it('neither lets a code fence swallow the field nor a masked link pose as another address', () => {
    const embed = eventEmbed(
      caseEvent('warning:added', {
        evidence: { ...evidence, content: '```\nopen fence [discord.com](https://x.test)' },
      }),
    );
    const value = field(embed, 'Evidence') ?? '';
    expect(value).not.toContain('```');
    expect(value).not.toContain('](https://x.test)');
    expect(value).toContain('discord.com');
  });

  it('shows a message without text, a deleted one, and ignores malformed evidence', () => {
    const empty = eventEmbed(
      caseEvent('warning:added', { evidence: { ...evidence, content: '', deleted: true } }),
    );
    expect(field(empty, 'Evidence')).toMatch(/ — deleted\n\*\(no text\)\*\nAttachments: scam.png$/);
    const malformed = eventEmbed(caseEvent('warning:added', { evidence: { messageId: 1 } as never }));
    expect(field(malformed, 'Evidence')).toBeUndefined();
  });

  it('says how an ended case ended, in the mod-log line and in /case', () => {
    const view = {
      caseId,
      caseNumber: 12,
      action: 'ban' as const,
      userId,
      moderatorId,
      reason: 'spam',
      createdAt: new Date(at),
      expiresAt: null,
    };
    const when = new Date('2025-03-02T00:00:00.000Z');
    const stamp = `<t:${when.getTime() / 1000}:f> (<t:${when.getTime() / 1000}:R>)`;
    const ending = { caseNumber: 13, moderatorId: '900000000000000004', at: when };
    expect(field(caseLogEmbed({ ...view, state: 'lifted', ending }), 'Status')).toBe(
      `Undone — case #13 by <@900000000000000004> ${stamp}`,
    );
    expect(
      field(caseLogEmbed({ ...view, state: 'expired', ending: { ...ending, caseNumber: 15 } }), 'Status'),
    ).toBe(`Expired — case #15 ${stamp}`);
    expect(
      field(caseLogEmbed({ ...view, state: 'superseded', ending: { ...ending, caseNumber: 14 } }), 'Status'),
    ).toBe(`Superseded by case #14 by <@900000000000000004> ${stamp}`);
    expect(field(caseLogEmbed({ ...view, state: 'lifted', endedAt: when }), 'Status')).toBe(
      `Lifted ${stamp}`,
    );
    // In force: the mod-log line says nothing; /case says so.
    expect(field(caseLogEmbed({ ...view, state: 'active' }), 'Status')).toBeUndefined();
    expect(field(caseEmbed({ ...view, state: 'active' }, { showState: true }), 'Status')).toBe('In force');
    expect(stateText({ state: 'lifted', ending: { ...ending, source: 'automod' } })).toMatch(/ by AutoMod /);
  });
});
