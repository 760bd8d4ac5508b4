import { describe, expect, it } from 'vitest';
import { caseRow } from '../../../db/case-row-fixture.ts';
import { activityWindow, dayStacks, moderatorStacks } from './activity-series.ts';
import { renderActivityPage } from './activity-view.ts';
import type { Html } from './layout.ts';
import { renderMemberPage } from './member-view.ts';

const user = { name: 'Mod', csrfToken: 'tok' };
const guild = { id: '300000000000000003', name: 'Guild', permissions: String(1n << 40n) };
const text = async (page: Html) => String(await page);
const window = activityWindow(new Date('2026-03-30T12:00:00Z'));
const evil = '200000000000000001';
const plain = '200000000000000002';

function activity() {
  return {
    guild,
    window,
    days: dayStacks(
      [
        { day: '2026-03-01', action: 'ban', count: 2 },
        { day: '2026-03-01', action: 'warn', count: 1 },
        { day: '2026-03-30', action: 'kick', count: 4 },
      ],
      window.days,
    ),
    moderators: moderatorStacks([
      { moderatorId: evil, action: 'ban', count: 2 },
      { moderatorId: plain, action: 'warn', count: 1 },
      { moderatorId: plain, action: 'kick', count: 4 },
    ]),
    names: new Map([[evil, { id: evil, username: 'x', globalName: '</text><script>alert(1)</script>' }]]),
  };
}

describe('renderActivityPage', () => {
  it('draws one segment per day and action, one bar per moderator, with titles, a legend and the numbers', async () => {
    const page = await text(renderActivityPage(user, activity()));
    const perDay = page.slice(
      page.indexOf('id="per-day"'),
      page.indexOf('</svg>', page.indexOf('id="per-day"')),
    );
    expect(perDay.match(/<g class="bar"/g)).toHaveLength(30);
    expect(perDay.match(/<rect class="seg"/g)).toHaveLength(3);
    expect(perDay).toContain('Cases per day, last 30 days (UTC): 7 cases</title>');
    expect(perDay).toContain('<title>2026-03-01: Ban 2</title>');
    const perModerator = page.slice(page.indexOf('id="per-moderator"'));
    expect(perModerator.slice(0, perModerator.indexOf('</svg>')).match(/<g class="bar"/g)).toHaveLength(2);
    expect(perModerator).toContain('7 cases by 2 moderators</title>');
    expect(page).toMatch(/<ul class="legend"[^>]*>.*Ban.*Kick.*Warning/s);
    expect(page).toContain('<td data-label="Day">2026-03-30</td><td data-label="Cases">4</td>');
  });

  it('escapes names in the SVG and the table', async () => {
    const page = await text(renderActivityPage(user, activity()));
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('says when there is nothing to draw', async () => {
    const empty = { ...activity(), days: dayStacks([], window.days), moderators: moderatorStacks([]) };
    const page = await text(renderActivityPage(user, empty));
    expect(page).toContain('No cases in the last 30 days.');
    expect(page).not.toContain('<svg class="chart"');
  });
});

describe('renderMemberPage', () => {
  it('shows counts, what is in force with its end, and the cases with names', async () => {
    const member = '100000000000000001';
    const ban = caseRow({ caseNumber: 9, action: 'ban', expiresAt: new Date('2026-04-01T00:00:00Z') });
    const page = await text(
      renderMemberPage(user, {
        guild,
        userId: member,
        counts: [
          { action: 'warn', count: 2 },
          { action: 'ban', count: 1 },
        ],
        inForce: [ban],
        rows: [ban, caseRow({ caseNumber: 3 })],
        position: { newer: false, older: true },
        names: new Map([[member, { id: member, username: 'al', globalName: 'Al <i>' }]]),
      }),
    );
    expect(page).toContain(`<h1>Al &lt;i&gt; (@al) <span class="muted">${member}</span></h1>`);
    expect(page).toContain('<h2>3 cases</h2>');
    expect(page).toContain('<dt>Ban</dt><dd>1</dd><dt>Warning</dt><dd>2</dd>');
    expect(page).toContain('Temporary ban — ends 2026-04-01 00:00 UTC');
    expect(page).toContain(`<a rel="next" href="/dashboard/guilds/${guild.id}/members/${member}?before=3">`);
  });

  it('reads an unknown member as an empty history', async () => {
    const page = await text(
      renderMemberPage(user, {
        guild,
        userId: '100000000000000009',
        counts: [],
        inForce: [],
        rows: [],
        position: { newer: false, older: false },
        names: new Map(),
      }),
    );
    expect(page).toContain('<h2>0 cases</h2>');
    expect(page).toContain('Nothing in force.');
    expect(page).toContain('No cases for this member in this server.');
  });
});
