// The dashboard in headless Chromium against the whole stack (`npm run dev`'s code on free ports):
// cases made from the sandbox's command box (two /warn and a /ban), then the Worker's /dashboard →
// the stand-in's authorize page → the moderator picked → the server picker → the cases page, its
// member filter held in the URL (by id, then by a name Lockdown learnt from the commands' payloads),
// one case's fields, the member's history page, the Activity tab's SVG charts; the logout form; a
// member without Timeout Members, who sees no server and is refused the cases URL (403); a forged
// session cookie sent to sign in. Screenshots go to /tmp/sandbox-dashboard-*.png (SANDBOX_DASHBOARD_SCREENSHOTS=dir).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runInCommandBox, setUpModlog, textOf, useSandboxBrowser } from './browser.ts';
import { authorizeUrl, expectAuthorizePage, openDashboardTab, signInAs } from './dashboard-browser.ts';

const SHOTS = process.env.SANDBOX_DASHBOARD_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-dashboard-${name}.png`), fullPage: true });

const openSandbox = useSandboxBrowser();

/** Runs `/command …fields` from the sandbox's command box; its reply's text once it reads `expected`. */
const run = async (page: Page, command: string, fields: Record<string, string>, expected: RegExp) =>
  (await runInCommandBox(page, command, fields, expected)).text;

/** A dashboard tab of its own, beside the sandbox's (same browser profile, so the same cookies). */
let dashboard: Page | null = null;
/** What the dashboard tab logged as errors (a CSP refusal would show here); none is expected. */
let dashboardErrors: string[] = [];
const cases = { warnings: [] as number[], ban: 0 };

describe('the dashboard in the sandbox', () => {
  it('signs the moderator in, lists the server, filters its cases by member and shows one', async () => {
    const { stack, page, consoleErrors } = await openSandbox();
    const { users, guildId } = stack.guild;
    await setUpModlog(page);
    for (const reason of ['Spamming invites', 'Spamming invites again']) {
      const reply = await run(page, 'warn', { user: users.troublemaker, reason }, /Warned/);
      cases.warnings.push(Number(reply.match(/case #(\d+)/i)?.[1]));
    }
    const banned = await run(
      page,
      'ban',
      { user: users.spammer, reason: 'Selling accounts in every channel' },
      /Banned/,
    );
    cases.ban = Number(banned.match(/case #(\d+)/i)?.[1]);
    expect(
      [...cases.warnings, cases.ban].every((n) => n > 0),
      `${cases.warnings} ${banned}`,
    ).toBe(true);
    // The relay has posted the first warning's mod-log line, so its case page links to it.
    await page
      .locator('#modlog .embed-title', { hasText: `Warning | Case #${cases.warnings[0]}` })
      .waitFor({ timeout: 30_000 });

    ({ tab: dashboard, errors: dashboardErrors } = await openDashboardTab(page));
    // Not signed in: /dashboard → /dashboard/login → the stand-in's authorize page.
    await dashboard.goto(`${stack.dev.workerUrl}/dashboard`);
    await shot(dashboard, 'authorize');
    await signInAs(dashboard, stack, users.moderator);

    // The server picker lists the sandbox server; it opens the cases page.
    const server = dashboard.locator('ul.guilds a', { hasText: stack.guild.name });
    await server.waitFor();
    expect(await server.getAttribute('href')).toBe(`/dashboard/guilds/${guildId}/cases`);
    expect(await dashboard.locator('header').textContent()).toContain('Maya');
    await shot(dashboard, 'picker');
    await Promise.all([dashboard.waitForURL(/\/cases$/), server.click()]);

    const rows = dashboard.locator('table tbody tr');
    const listed = async () =>
      (await rows.locator('td[data-label="Case"]').allTextContents()).map((t) => t.trim());
    expect(await listed()).toEqual([`#${cases.ban}`, `#${cases.warnings[1]}`, `#${cases.warnings[0]}`]);
    const banRow = rows.filter({ hasText: `#${cases.ban}` });
    expect(await banRow.locator('td[data-label="Action"]').textContent()).toBe('Ban');
    // Names learnt from the commands' payloads stand beside the ids.
    expect(await banRow.locator('td[data-label="Member"]').textContent()).toBe(
      `Sam (@spammy_sam) ${users.spammer}`,
    );
    expect(await banRow.locator('td[data-label="Moderator"]').textContent()).toBe(
      `Maya (@maya_mod) ${users.moderator}`,
    );
    expect(await banRow.locator('td[data-label="Reason"]').textContent()).toBe(
      'Selling accounts in every channel',
    );
    await shot(dashboard, 'cases');

    // The member filter, through the form: a GET, so the URL holds it and the link can be shared.
    await dashboard.fill('#member', users.troublemaker);
    await Promise.all([dashboard.waitForURL(/member=/), dashboard.click('.filters button[type="submit"]')]);
    const url = new URL(dashboard.url());
    expect(url.pathname).toBe(`/dashboard/guilds/${guildId}/cases`);
    expect(url.searchParams.get('member')).toBe(users.troublemaker);
    expect(await listed()).toEqual([`#${cases.warnings[1]}`, `#${cases.warnings[0]}`]);
    expect(await dashboard.inputValue('#member')).toBe(users.troublemaker);
    await shot(dashboard, 'cases-filtered');

    // By a name: any prefix of the username or display name, any case.
    await dashboard.fill('#member', 'TROUBLE');
    await Promise.all([
      dashboard.waitForURL(/member=TROUBLE/),
      dashboard.click('.filters button[type="submit"]'),
    ]);
    expect(await listed()).toEqual([`#${cases.warnings[1]}`, `#${cases.warnings[0]}`]);
    expect(await dashboard.locator('p.matched').textContent()).toBe(
      `“TROUBLE” matched 1 member: Tom (@troublemaker_tom) ${users.troublemaker}`,
    );
    await shot(dashboard, 'cases-by-name');

    // One case: its fields.
    const first = cases.warnings[0] as number;
    await Promise.all([
      dashboard.waitForURL(`${stack.dev.workerUrl}/dashboard/guilds/${guildId}/cases/${first}`),
      dashboard.click(`td[data-label="Case"] a:text-is("#${first}")`),
    ]);
    expect(await dashboard.locator('h1').textContent()).toBe(`Warning · Case #${first}`);
    const field = (name: string) => dashboard?.locator(`dl.fields dt:text-is("${name}") + dd`);
    expect(await field('Member')?.textContent()).toBe(`Tom (@troublemaker_tom) ${users.troublemaker}`);
    expect(await field('Moderator')?.textContent()).toBe(`Maya (@maya_mod) ${users.moderator}`);
    expect(await field('Reason')?.textContent()).toBe('Spamming invites');
    expect(await field('Source')?.textContent()).toBe('Lockdown command');
    expect(await field('State')?.textContent()).toBe('Active');
    expect(await field('Told by DM')?.textContent()).toBe('Yes');
    const modlog = field('Mod-log')?.locator('a');
    expect(await modlog?.textContent()).toBe('Open the mod-log message');
    expect(await modlog?.getAttribute('href')).toMatch(
      new RegExp(`^https://discord\\.com/channels/${guildId}/${stack.guild.channels.modLogs}/\\d+$`),
    );
    await shot(dashboard, 'case');

    // The member's history, from the case's Member link.
    await Promise.all([
      dashboard.waitForURL(
        `${stack.dev.workerUrl}/dashboard/guilds/${guildId}/members/${users.troublemaker}`,
      ),
      dashboard.click('dl.fields a.member'),
    ]);
    expect(await dashboard.locator('h1').textContent()).toBe(`Tom (@troublemaker_tom) ${users.troublemaker}`);
    expect(await dashboard.locator('dl.counts').textContent()).toBe('Warning2');
    expect(await listed()).toEqual([`#${cases.warnings[1]}`, `#${cases.warnings[0]}`]);
    await shot(dashboard, 'member');

    // The Activity tab: today's bar stacks the ban and the two warnings; one moderator's bar.
    await Promise.all([
      dashboard.waitForURL(`${stack.dev.workerUrl}/dashboard/guilds/${guildId}/activity`),
      dashboard.click('.guild-nav a.tab:text-is("Activity")'),
    ]);
    const perDay = dashboard.locator('svg#per-day');
    expect((await perDay.boundingBox())?.height ?? 0).toBeGreaterThan(100);
    expect(await perDay.locator('g.bar').count()).toBe(30);
    const today = perDay.locator(`g.bar[data-key="${new Date().toISOString().slice(0, 10)}"]`);
    expect(await today.getAttribute('data-total')).toBe('3');
    const segments = today.locator('rect.seg');
    expect(await segments.evaluateAll((rects) => rects.map((r) => r.getAttribute('data-action')))).toEqual([
      'ban',
      'warn',
    ]);
    expect(await segments.locator('title').allTextContents()).toEqual([
      expect.stringMatching(/: Ban 1$/),
      expect.stringMatching(/: Warning 2$/),
    ]);
    // A segment is drawn: its height in the page is two thirds of the bar's for the warnings.
    const [ban, warn] = await segments.evaluateAll((rects) =>
      rects.map((r) => r.getBoundingClientRect().height),
    );
    expect((warn ?? 0) / (ban ?? 1)).toBeCloseTo(2, 1);
    expect(await perDay.locator('rect.seg').count()).toBe(2);
    const perModerator = dashboard.locator('svg#per-moderator');
    expect(await perModerator.locator('g.bar').count()).toBe(1);
    expect(await perModerator.locator('text.who').textContent()).toBe('Maya (@maya_mod)');
    expect(await perModerator.locator('title').first().textContent()).toBe(
      'Cases per moderator, last 30 days: 3 cases by 1 moderator',
    );
    expect(await dashboard.locator('ul.legend li').allTextContents()).toEqual([' Ban', ' Warning']);
    await shot(dashboard, 'activity');
    expect(consoleErrors).toEqual([]);
  });

  it('signs out with the logout form; /dashboard then asks to sign in again', async () => {
    const { stack } = await openSandbox();
    if (!dashboard) throw new Error('the first test did not open the dashboard');
    await Promise.all([
      dashboard.waitForURL((url) => url.href.startsWith(authorizeUrl(stack))),
      dashboard.click('header form button[type="submit"]'),
    ]);
    const cookies = await dashboard.context().cookies(stack.dev.workerUrl);
    expect(cookies.find((c) => c.name === 'lockdown_session')).toBeUndefined();
    await dashboard.goto(`${stack.dev.workerUrl}/dashboard`);
    await expectAuthorizePage(dashboard, stack);
    await shot(dashboard, 'signed-out');
  });

  it('lists no server to a member without Timeout Members, and answers 403 on the cases URL', async () => {
    const { stack } = await openSandbox();
    if (!dashboard) throw new Error('the first test did not open the dashboard');
    const { users, guildId } = stack.guild;
    await dashboard.goto(`${stack.dev.workerUrl}/dashboard`);
    await signInAs(dashboard, stack, users.quiet);
    await textOf(dashboard.locator('main'), 'No server to show');
    expect(await dashboard.locator('ul.guilds').count()).toBe(0);
    expect(await dashboard.locator('header').textContent()).toContain('Quinn');
    await shot(dashboard, 'member-picker');
    const refused = await dashboard.goto(`${stack.dev.workerUrl}/dashboard/guilds/${guildId}/cases`);
    expect(refused?.status()).toBe(403);
    expect(await dashboard.locator('table').count()).toBe(0);
    await shot(dashboard, 'member-403');
  });

  it('sends a forged session cookie to sign in', async () => {
    const { stack } = await openSandbox();
    if (!dashboard) throw new Error('the first test did not open the dashboard');
    const context = dashboard.context();
    const real = (await context.cookies(stack.dev.workerUrl)).find((c) => c.name === 'lockdown_session');
    expect(real?.value).toMatch(/\./);
    // The member's session id with a signature that is not the Worker's.
    const id = (real?.value ?? '').split('.')[0];
    await context.addCookies([
      { name: 'lockdown_session', value: `${id}.${'A'.repeat(43)}`, url: stack.dev.workerUrl },
    ]);
    await dashboard.goto(`${stack.dev.workerUrl}/dashboard`);
    await expectAuthorizePage(dashboard, stack);
    await shot(dashboard, 'forged-cookie');
    // The 403 page's own status is the only error the tab logged.
    expect(dashboardErrors.filter((e) => !e.includes('403'))).toEqual([]);
    await dashboard.close();
  });
});
