import { describe, expect, it } from 'vitest';
import { caseRow } from '../../../db/case-row-fixture.ts';
import type { CaseEditRow } from '../../commands/cases/case-edits.ts';
import { renderCasePage } from './case-view.ts';
import { parseCasesQuery } from './cases-query.ts';
import { pagePosition, renderCasesPage } from './cases-view.ts';
import type { Html } from './layout.ts';
import { renderPicker } from './picker.ts';

const user = { name: 'Mod <b>', csrfToken: 'tok"en' };
// Timeout Members (1 << 40): the tabs a moderator without Manage Server sees.
const guild = { id: '300000000000000003', name: 'Café "&" <Friends>', permissions: String(1n << 40n) };
const hostile = '<script>alert(1)</script> "quoted" & <@123>';
const text = async (page: Html) => String(await page);
/** No names known, no member name searched. */
const noNames = { names: new Map(), matched: null };

function query(search: string) {
  const parsed = parseCasesQuery(new URLSearchParams(search));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
}

const edit = (overrides: Partial<CaseEditRow> = {}): CaseEditRow => ({
  id: '00000000-0000-4000-8000-00000000000e',
  guildId: guild.id,
  caseId: '00000000-0000-4000-8000-000000000001',
  field: 'reason',
  oldValue: 'old <i>reason</i>',
  newValue: 'new reason',
  editedBy: '200000000000000009',
  editedAt: new Date('2026-01-02T00:00:00Z'),
  note: null,
  ...overrides,
});

describe('layout', () => {
  it('is a dark, phone-readable page with a logout form carrying the escaped CSRF token', async () => {
    const page = await text(renderPicker(user, []));
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('background: #313338');
    expect(page).toContain('@media (max-width: 640px)');
    expect(page).toContain('<form method="post" action="/dashboard/logout">');
    expect(page).toContain('<input type="hidden" name="_csrf" value="tok&quot;en">');
    expect(page).toContain('Mod &lt;b&gt;');
    expect(page).not.toMatch(/<script|<link|@import/);
  });
});

describe('renderPicker', () => {
  it('lists each server with its CDN icon (or initials) and a link to its cases', async () => {
    const page = await text(
      renderPicker(user, [
        { id: '1', name: 'With icon', icon: 'abc', permissions: '0' },
        { id: '2', name: 'Animated', icon: 'a_def', permissions: '0' },
        { id: '3', name: 'No <icon> here', icon: null, permissions: '0' },
      ]),
    );
    expect(page).toContain('<a href="/dashboard/guilds/1/cases">');
    expect(page).toContain('src="https://cdn.discordapp.com/icons/1/abc.png?size=96"');
    expect(page).toContain('src="https://cdn.discordapp.com/icons/2/a_def.gif?size=96"');
    expect(page).toContain('<span class="initials">N&lt;h</span><span>No &lt;icon&gt; here</span>');
  });

  it('says why no server is listed', async () => {
    expect(await text(renderPicker(user, []))).toContain('No server to show');
  });
});

describe('renderCasesPage', () => {
  const rows = [caseRow({ caseNumber: 30, reason: hostile, guildId: guild.id }), caseRow({ caseNumber: 6 })];

  it('escapes every value from the case and the server, mentions shown as ids', async () => {
    const page = await text(
      renderCasesPage(user, {
        ...noNames,
        guild,
        query: query(''),
        rows,
        position: { newer: false, older: false },
      }),
    );
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; @123');
    expect(page).toContain('Café &quot;&amp;&quot; &lt;Friends&gt;');
  });

  it('keeps every filter in the Previous/Next links and the form', async () => {
    const q = query('member=100000000000000001&action=warn&from=2026-01-01&before=31');
    const page = await text(
      renderCasesPage(user, { ...noNames, guild, query: q, rows, position: pagePosition(q, true) }),
    );
    const base = `/dashboard/guilds/${guild.id}/cases?member=100000000000000001&amp;action=warn&amp;from=2026-01-01`;
    expect(page).toContain(`<a rel="prev" href="${base}&amp;after=30">`);
    expect(page).toContain(`<a rel="next" href="${base}&amp;before=6">`);
    expect(page).toContain('name="member" maxlength="32" value="100000000000000001"');
    expect(page).toContain('<option value="warn" selected>');
    expect(page).toContain('name="from" type="date" value="2026-01-01"');
  });

  it('shows no Previous on the first page and no Next on the last', async () => {
    const first = await text(
      renderCasesPage(user, {
        ...noNames,
        guild,
        query: query(''),
        rows,
        position: pagePosition(query(''), false),
      }),
    );
    expect(first).not.toContain('rel="prev"');
    expect(first).not.toContain('rel="next"');
    const q = query('after=5');
    const newest = await text(
      renderCasesPage(user, { ...noNames, guild, query: q, rows, position: pagePosition(q, false) }),
    );
    expect(newest).not.toContain('rel="prev"');
    expect(newest).toContain('rel="next"');
  });

  it('shows known names beside ids, escaped, links members to their history, and says whom a name matched', async () => {
    const member = caseRow({ caseNumber: 3 }).userId;
    const moderatorId = caseRow({ caseNumber: 3 }).moderatorId;
    const names = new Map([
      [member, { id: member, username: 'evil', globalName: '<b>Evil</b>' }],
      [moderatorId, { id: moderatorId, username: 'mod', globalName: null }],
    ]);
    const q = query('member=ev');
    const page = await text(
      renderCasesPage(user, {
        guild,
        query: q,
        rows: [caseRow({ caseNumber: 3 })],
        position: { newer: false, older: false },
        names,
        matched: [names.get(member) as never],
      }),
    );
    const href = `/dashboard/guilds/${guild.id}/members/${member}`;
    expect(page).toContain(
      `<a class="member" href="${href}">&lt;b&gt;Evil&lt;/b&gt; (@evil) <span class="muted">${member}</span></a>`,
    );
    expect(page).toContain(`@mod <span class="muted">${moderatorId}</span>`);
    expect(page).toContain(`“ev” matched 1 member: <a href="${href}">&lt;b&gt;Evil&lt;/b&gt; (@evil)</a>`);
    expect(page).toContain('name="member" maxlength="32" value="ev"');
    expect(page).not.toContain('<b>Evil');
    const none = await text(
      renderCasesPage(user, {
        guild,
        query: q,
        rows: [],
        position: { newer: false, older: false },
        names,
        matched: [],
      }),
    );
    expect(none).toContain('No member of this server with cases is known by a name starting with “ev”.');
  });

  it('says when nothing matches', async () => {
    const page = await text(
      renderCasesPage(user, {
        ...noNames,
        guild,
        query: query('action=kick'),
        rows: [],
        position: { newer: false, older: false },
      }),
    );
    expect(page).toContain('No cases match these filters.');
    expect(page).not.toContain('<table>');
  });
});

describe('renderCasePage', () => {
  const detail = {
    guild,
    ending: {
      caseNumber: 12,
      moderatorId: '200000000000000007',
      source: 'command' as const,
      at: new Date('2026-01-03T00:00:00Z'),
    },
    edits: [edit(), edit({ field: 'deleted', oldValue: 'false', newValue: 'true', note: 'dup <b>' })],
    moreEdits: false,
    modlogChannelId: '400000000000000004',
    names: new Map(),
  };

  it('shows every field, how it ended, the edits, the evidence and the mod-log link, all escaped', async () => {
    const row = caseRow({
      guildId: guild.id,
      caseNumber: 11,
      action: 'ban',
      reason: hostile,
      state: 'lifted',
      expiresAt: new Date('2026-02-01T00:00:00Z'),
      modlogMessageId: '500000000000000005',
      evidence: {
        messageId: '600000000000000006',
        channelId: '700000000000000007',
        authorId: '100000000000000001',
        content: '<img src=x onerror=alert(1)> hi <@99>',
        truncated: true,
        attachments: ['a<b>.png'],
        sentAt: '2026-01-01T00:00:00.000Z',
      },
    });
    const page = await text(renderCasePage(user, { ...detail, row }));
    expect(page).toContain('Temporary ban · Case #11');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; @123');
    expect(page).not.toMatch(/<script>alert|<img src=x/);
    expect(page).toContain(
      `Lifted — by case <a href="/dashboard/guilds/${guild.id}/cases/12">#12</a> by 200000000000000007`,
    );
    expect(page).toContain(
      `<a href="https://discord.com/channels/${guild.id}/400000000000000004/500000000000000005">Open the mod-log message</a>`,
    );
    expect(page).toContain(
      `<a href="https://discord.com/channels/${guild.id}/700000000000000007/600000000000000006">Message</a>`,
    );
    expect(page).toContain('<blockquote>&lt;img src=x onerror=alert(1)&gt; hi @99…</blockquote>');
    expect(page).toContain('Attachments: a&lt;b&gt;.png');
    expect(page).toContain('old &lt;i&gt;reason&lt;/i&gt;');
    expect(page).toContain('dup &lt;b&gt;');
    expect(page).toContain('Ends</dt><dd>2026-02-01 00:00 UTC');
    expect(page).toContain(
      `<dd><a class="member" href="/dashboard/guilds/${guild.id}/members/${row.userId}">`,
    );
  });

  it('marks a deleted case and says when there is no mod-log line, evidence or edit', async () => {
    const row = caseRow({
      guildId: guild.id,
      deletedAt: new Date('2026-01-05T00:00:00Z'),
      deletedBy: '2',
      deleteReason: 'dup',
    });
    const page = await text(
      renderCasePage(user, { ...detail, ending: null, edits: [], modlogChannelId: null, row }),
    );
    expect(page).toContain('[Removed]');
    expect(page).toContain('Deleted 2026-01-05 00:00 UTC by 2: dup.');
    expect(page).toContain('No mod-log message');
    expect(page).toContain('Never edited.');
    expect(page).not.toContain('<h2>Evidence</h2>');
  });
});
