// Ban appeals in the sandbox, in a real browser (Chromium, headless, playwright-core) on a freshly
// started stack: Tom banned through the Apps menu gets the ban DM with its Appeal button, shown in
// the sidebar's "Direct messages"; pressing it as Tom opens the bot's modal, whose submit is
// answered in the DM; the appeal's mod-log line carries Accept and Deny; Accept unbans Tom (one
// unban line) and edits the appeal's line to say so, its buttons gone. Screenshots go to
// /tmp/sandbox-appeals-*.png (SANDBOX_APPEALS_SCREENSHOTS=dir to put them elsewhere).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpModlog, textOf, useSandboxBrowser } from './browser.ts';
import { eventually, guildState, modlogEmbeds } from './support.ts';

const SHOTS = process.env.SANDBOX_APPEALS_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-appeals-${name}.png`) });

const openSandbox = useSandboxBrowser();

describe('ban appeals in the sandbox', () => {
  it('appeals from the ban DM as the banned member, and Accept on the mod-log line unbans once', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    await setUpModlog(page);

    // Ban Tom through the Apps menu's modal.
    await page.locator(`#members .member[data-user="${users.troublemaker}"]`).click({ button: 'right' });
    await page.locator('.context-menu [data-menu-item="apps"]').click();
    await page.locator('.context-menu [data-menu-item="apps:Ban"]').click();
    const banModal = page.locator('.modal-backdrop .modal');
    await banModal.locator('[data-custom-id="reason"]').fill('Scam links');
    await banModal.locator('.modal-submit').click();
    await page
      .locator(`#members .member.banned[data-user="${users.troublemaker}"]`)
      .waitFor({ timeout: 20_000 });

    // Tom's DM, banned users first: the ban notice with its Appeal button.
    await eventually('Tom offered first in Direct messages', async () => {
      return (await page.locator('#dm-user').inputValue()) === users.troublemaker;
    });
    const notice = page.locator('#dm-messages .dm-message', { hasText: 'Scam links' });
    await notice.waitFor({ timeout: 20_000 });
    const appeal = notice.locator('button[data-custom-id^="appeal:open:"]');
    expect(await appeal.textContent()).toBe('Appeal');
    await shot(page, 'ban-dm');

    // Pressed as Tom: the bot's modal, then its answer in the DM.
    await appeal.click();
    const modal = page.locator('.modal-backdrop .modal');
    await textOf(modal.locator('h2'), 'Appeal your ban');
    await modal.locator('[data-custom-id="reason"]').fill('My account was stolen; it is back with me now.');
    await shot(page, 'appeal-modal');
    await modal.locator('.modal-submit').click();
    await eventually('the modal to close', async () => (await page.locator('.modal-backdrop').count()) === 0);
    await textOf(page.locator('#dm-answer'), /Your appeal was sent to the moderators of /);

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
});
