// Ban appeals in the sandbox, in a real browser (Chromium, headless, playwright-core) on a freshly
// started stack: Tom banned through the Apps menu gets the ban DM with its Appeal button, shown in
// the sidebar's "Direct messages"; pressing it as Tom opens the bot's modal, whose submit is
// answered in the DM, and a second press of Appeal is refused; the appeal's mod-log line carries
// Accept and Deny; Accept unbans Tom (one unban line) and edits the appeal's line to say so, its
// buttons gone. Then Sam's appeal, decided
// from the dashboard: signed in as the moderator, the Appeals tab lists it, Deny moves it to the
// decided ones (the DM refused: Sam shares no server with the bot) and edits its mod-log line.
// Screenshots go to /tmp/sandbox-appeals-*.png (SANDBOX_APPEALS_SCREENSHOTS=dir elsewhere).
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpModlog, textOf, useSandboxBrowser } from './browser.ts';
import { signInToDashboard } from './dashboard-browser.ts';
import { eventually, guildState, modlogEmbeds } from './support.ts';

const SHOTS = process.env.SANDBOX_APPEALS_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-appeals-${name}.png`) });

const openSandbox = useSandboxBrowser();

/** Bans the member through the Apps menu's modal and waits for the member list to show it. */
async function banThroughAppsMenu(page: Page, userId: string, reason: string) {
  await page.locator(`#members .member[data-user="${userId}"]`).click({ button: 'right' });
  await page.locator('.context-menu [data-menu-item="apps"]').click();
  await page.locator('.context-menu [data-menu-item="apps:Ban"]').click();
  const banModal = page.locator('.modal-backdrop .modal');
  await banModal.locator('[data-custom-id="reason"]').fill(reason);
  await banModal.locator('.modal-submit').click();
  await page.locator(`#members .member.banned[data-user="${userId}"]`).waitFor({ timeout: 20_000 });
}

/** The ban notice in the user's DM (picked in "Direct messages"), found by the ban's reason. */
async function banNotice(page: Page, userId: string, reason: string) {
  await eventually(
    'the banned user offered in Direct messages',
    async () => (await page.locator(`#dm-user option[value="${userId}"]`).count()) > 0,
  );
  if ((await page.locator('#dm-user').inputValue()) !== userId) await page.selectOption('#dm-user', userId);
  const notice = page.locator('#dm-messages .dm-message', { hasText: reason });
  await notice.waitFor({ timeout: 20_000 });
  return notice;
}

/** Presses the notice's Appeal as the banned user and submits `text` in the bot's modal. */
async function appealFromDm(page: Page, notice: Locator, text: string, screenshot?: string) {
  await notice.locator('button[data-custom-id^="appeal:open:"]').click();
  const modal = page.locator('.modal-backdrop .modal');
  await textOf(modal.locator('h2'), 'Appeal your ban');
  await modal.locator('[data-custom-id="reason"]').fill(text);
  if (screenshot) await shot(page, screenshot);
  await modal.locator('.modal-submit').click();
  await eventually('the modal to close', async () => (await page.locator('.modal-backdrop').count()) === 0);
  await textOf(page.locator('#dm-answer'), /Your appeal was sent to the moderators of /);
}

describe('ban appeals in the sandbox', () => {
  it('appeals from the ban DM as the banned member, and Accept on the mod-log line unbans once', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    await setUpModlog(page);

    // Ban Tom through the Apps menu's modal.
    await banThroughAppsMenu(page, users.troublemaker, 'Scam links');

    // Tom's DM, banned users first: the ban notice with its Appeal button.
    await eventually('Tom offered first in Direct messages', async () => {
      return (await page.locator('#dm-user').inputValue()) === users.troublemaker;
    });
    const notice = await banNotice(page, users.troublemaker, 'Scam links');
    expect(await notice.locator('button[data-custom-id^="appeal:open:"]').textContent()).toBe('Appeal');
    await shot(page, 'ban-dm');

    // Pressed as Tom: the bot's modal, then its answer in the DM.
    await appealFromDm(page, notice, 'My account was stolen; it is back with me now.', 'appeal-modal');
    // A second press of Appeal on the same ban: refused, with no modal.
    await notice.locator('button[data-custom-id^="appeal:open:"]').click();
    await textOf(
      page.locator('#dm-answer'),
      'You already appealed this ban; the moderators will decide once.',
    );
    expect(await page.locator('.modal-backdrop').count()).toBe(0);

    // The appeal's mod-log line, with Accept and Deny.
    const line = page.locator('#modlog .modlog-message', { hasText: 'My account was stolen' }).first();
    const accept = line.locator('button[data-custom-id^="appeal:accept:"]');
    await accept.waitFor({ timeout: 30_000 });
    expect(await line.locator('button.component-button').allTextContents()).toEqual(['Accept', 'Deny']);
    await shot(page, 'appeal-line');

    await accept.click();
    await textOf(page.locator('#modlog .reply').last(), /Appeal \w{8} accepted/, 30_000);
    await eventually(
      'Tom unbanned',
      async () => !(await guildState(running)).bans.some((b) => b.user.id === users.troublemaker),
    );
    // The appeal's line now says it was accepted, and has no buttons left.
    await eventually('the appeal line edited', async () => (await accept.count()) === 0, 30_000);
    await textOf(line, /Accepted by/);
    await shot(page, 'accepted');
    const embeds = await modlogEmbeds(running);
    expect(embeds.filter((e) => /^Unban \| Case #\d+/.test(e.title ?? ''))).toHaveLength(1);
    expect(embeds.some((e) => e.title === 'Ban appeal accepted')).toBe(true);

    // The page acts only as Discord's client would: a button the DM does not have, and a second
    // submit of a modal already answered, are refused by the sandbox before the Worker sees them.
    const messageId = await notice.getAttribute('data-id');
    const response = await fetch(new URL('/sandbox/api/dm-components', page.url()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: users.troublemaker, messageId, customId: 'appeal:open:forged' }),
    });
    const refused = { status: response.status, body: await response.json() };
    expect(refused).toEqual({
      status: 400,
      body: { message: 'The message has no button or select `appeal:open:forged`.' },
    });
    expect(consoleErrors).toEqual([]);
  });

  it('decides an appeal from the dashboard: Deny moves it to the decided ones and edits its mod-log line', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const text = 'I will stop selling accounts.\nPromise.';
    await banThroughAppsMenu(page, users.spammer, 'Selling accounts');
    await appealFromDm(page, await banNotice(page, users.spammer, 'Selling accounts'), text);
    const line = page.locator('#modlog .modlog-message', { hasText: 'I will stop selling accounts' }).first();
    const deny = line.locator('button[data-custom-id^="appeal:deny:"]');
    await deny.waitFor({ timeout: 30_000 });

    // The moderator, in a dashboard tab of their own: the picker, the server, its Appeals tab.
    const dashboard = await page.context().newPage();
    const dashboardErrors: string[] = [];
    dashboard.on('console', (message) => {
      if (message.type() === 'error') dashboardErrors.push(message.text());
    });
    dashboard.on('pageerror', (error) => dashboardErrors.push(error.message));
    await signInToDashboard(dashboard, running, users.moderator);
    await Promise.all([
      dashboard.waitForURL(/\/cases$/),
      dashboard.locator('ul.guilds a', { hasText: running.guild.name }).click(),
    ]);
    await Promise.all([
      dashboard.waitForURL(/\/appeals$/),
      dashboard.locator('nav.guild-nav a.tab', { hasText: 'Appeals' }).click(),
    ]);
    const inSection = (section: 'pending' | 'decided') =>
      dashboard.locator(`section[aria-labelledby="${section}"] article`, {
        hasText: 'I will stop selling accounts',
      });
    const pending = inSection('pending');
    expect(await pending.locator('dl.fields dt:text-is("Banned user") + dd').textContent()).toBe(
      users.spammer,
    );
    expect(await pending.locator('blockquote').textContent()).toBe(text);
    expect(await pending.locator('button').allTextContents()).toEqual(['Accept', 'Deny']);
    await shot(dashboard, 'dashboard-queue');

    await Promise.all([
      dashboard.waitForURL(/\/appeals\?notice=denied$/),
      pending.locator('button', { hasText: 'Deny' }).click(),
    ]);
    await textOf(dashboard.locator('[role="status"]'), 'Appeal denied: the ban stays.');
    expect(await inSection('pending').count()).toBe(0);
    const decided = inSection('decided');
    await textOf(decided.locator('dl.fields dt:text-is("Decision") + dd'), `Denied by ${users.moderator}`);
    // Sam, banned, shares no server with the bot: Discord refused the DM, and the page says so.
    await textOf(decided.locator('dl.fields dt:text-is("DM to the user") + dd'), /^Could not be told by DM/);
    expect(await decided.locator('button').count()).toBe(0);
    await shot(dashboard, 'dashboard-denied');

    // The same decision as the mod-log button's: the line in the sandbox says so, its buttons gone.
    await eventually('the appeal line edited', async () => (await deny.count()) === 0, 30_000);
    await textOf(line, /Denied by/);
    await textOf(line, /Not told: Discord refused the DM/);
    await shot(page, 'denied-from-dashboard');
    expect((await guildState(running)).bans.some((b) => b.user.id === users.spammer)).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(dashboardErrors).toEqual([]);
    await dashboard.close();
  });
});
