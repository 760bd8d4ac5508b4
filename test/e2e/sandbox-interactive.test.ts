// Discord's interactive surfaces in the sandbox, in a real browser (Debian's Chromium, headless,
// driven by playwright-core), on a freshly started stack: right-click a member → Apps → Ban opens the
// bot's modal, whose submit bans (the reply, the member among the banned, the mod-log line with its
// case buttons); Undo on that line asks, and confirming unbans (the unban line, the ban's line edited
// without its Undo); an invalid duration in the modal is an ephemeral error; a saved reason is
// suggested while a reason is typed, and picking it uses its full text; right-click a member's message
// → Delete and warn deletes it and the warning's line shows it as evidence; /purge of a member's
// messages takes them out of the channel; a mod-log message showing several cases offers them in a
// menu, and a picked case's Edit reason opens a modal filled with its reason. Screenshots go to /tmp/sandbox-interactive-*.png
// (SANDBOX_INTERACTIVE_SCREENSHOTS=dir to put them elsewhere).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runInCommandBox, setUpModlog, textOf, useSandboxBrowser } from './browser.ts';
import { eventually, guildState, modlogEmbeds } from './support.ts';

const SHOTS = process.env.SANDBOX_INTERACTIVE_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-interactive-${name}.png`) });

const openSandbox = useSandboxBrowser();

/** Right-click `target`, then Apps → `entry`. */
async function chooseApp(page: Page, target: ReturnType<Page['locator']>, entry: string) {
  await target.click({ button: 'right' });
  await page.locator('.context-menu [data-menu-item="apps"]').click();
  await page.locator(`.context-menu [data-menu-item="apps:${entry}"]`).click();
}

/** Posts a plain message in the selected channel as `invokerId`, and waits for it there. */
async function say(page: Page, invokerId: string, text: string, moderatorId: string) {
  await page.selectOption('#invoker', invokerId);
  await page.fill('#say', text);
  await page.press('#say', 'Enter');
  await page.locator('#general .channel-message', { hasText: text }).waitFor({ timeout: 20_000 });
  await page.selectOption('#invoker', moderatorId);
}

describe('the sandbox’s interactive surfaces', () => {
  it('bans from the Apps menu through the modal, and undoes it from the mod-log line', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    await setUpModlog(page);

    // Tom's menu: the bot's user commands under Apps, then Discord's own actions.
    const tom = page.locator(`#members .member[data-user="${users.troublemaker}"]`);
    await tom.click({ button: 'right' });
    await page.locator('.context-menu [data-menu-item="apps"]').hover();
    const entries = await page.locator('.context-menu .submenu [data-menu-item^="apps:"]').allTextContents();
    expect(entries).toEqual(['Warn', 'Timeout', 'Kick', 'Ban']);
    expect(await page.locator('.context-menu [data-menu-item="discord:ban"]').textContent()).toBe('Ban Tom');
    await shot(page, 'member-menu');
    await page.locator('.context-menu [data-menu-item="apps:Ban"]').click();

    const modal = page.locator('.modal-backdrop .modal');
    await textOf(modal.locator('h2'), 'Ban member');
    expect(await modal.locator('label').allTextContents()).toEqual(['Reason', 'Duration (empty: permanent)']);
    await modal.locator('[data-custom-id="reason"]').fill('Scam links in #general');
    await modal.locator('[data-custom-id="duration"]').fill('2h');
    await shot(page, 'ban-modal');
    await modal.locator('.modal-submit').click();
    await eventually('the modal to close', async () => (await page.locator('.modal-backdrop').count()) === 0);

    const reply = page.locator('#general .reply').last();
    const replyText = await textOf(reply, /Banned/);
    expect(replyText).toContain('used Ban');
    expect(replyText).toContain('Only you can see this');
    await page
      .locator(`#members .member.banned[data-user="${users.troublemaker}"]`)
      .waitFor({ timeout: 20_000 });
    expect((await guildState(running)).bans.map((b) => b.user.id)).toContain(users.troublemaker);

    // Its mod-log line, with the case buttons under it.
    const banLine = page.locator('#modlog .modlog-message', { hasText: 'Scam links in #general' }).first();
    const undo = banLine.locator('button[data-custom-id^="case:undo:"]');
    await undo.waitFor({ timeout: 20_000 });
    expect(await banLine.locator('button.component-button').allTextContents()).toEqual([
      'Edit reason',
      'Undo (unban)',
      'History',
    ]);
    await shot(page, 'ban-line');

    // Undo asks first, in #mod-logs, for the clicker alone.
    await undo.click();
    const asking = page.locator('#modlog .reply', { hasText: 'Undo case #' }).last();
    await asking.waitFor({ timeout: 20_000 });
    // The confirmation is then replaced in place: followed by its interaction's token.
    const confirmation = page.locator(
      `#modlog .reply[data-token="${await asking.getAttribute('data-token')}"]`,
    );
    const asked = await textOf(confirmation, 'Only you can see this');
    expect(asked).toMatch(/Undo case #\d+\? This will unban @Tom/);
    await shot(page, 'undo-confirmation');
    await confirmation.locator('button[data-custom-id^="case:undo-confirm:"]').click();
    await textOf(confirmation, /Unbanned|unbanned/, 30_000);
    await eventually(
      'Tom unbanned',
      async () => !(await guildState(running)).bans.some((b) => b.user.id === users.troublemaker),
    );
    await page
      .locator('#modlog .modlog-message .embed', { hasText: /^Unban \| Case #\d+/ })
      .waitFor({ timeout: 30_000 });
    // The ban's own line is edited: no Undo any more.
    await eventually('the ban line without Undo', async () => (await undo.count()) === 0, 30_000);
    expect(await banLine.locator('.edited').count()).toBe(1);
    await shot(page, 'undone');
    expect(consoleErrors).toEqual([]);
  });

  it('answers an invalid duration in the modal with an ephemeral error, banning nobody', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const sam = page.locator(`#members .member[data-user="${users.spammer}"]`);
    // Hugo holds Moderate Members only: Discord shows him no Kick or Ban (default_member_permissions).
    await page.selectOption('#invoker', users.helper);
    await sam.click({ button: 'right' });
    await page.locator('.context-menu [data-menu-item="apps"]').hover();
    expect(await page.locator('.context-menu .submenu [data-menu-item^="apps:"]').allTextContents()).toEqual([
      'Warn',
      'Timeout',
    ]);
    await page.keyboard.press('Escape');
    await eventually('the menu closed', async () => (await page.locator('.context-menu').count()) === 0);
    await page.selectOption('#invoker', users.moderator);
    await chooseApp(page, sam, 'Ban');
    const modal = page.locator('.modal-backdrop .modal');
    await modal.locator('[data-custom-id="duration"]').fill('forever');
    await modal.locator('.modal-submit').click();
    const reply = page.locator('#general .reply').last();
    const text = await textOf(reply, /duration/i);
    expect(text).toContain('Only you can see this');
    expect((await guildState(running)).bans.map((b) => b.user.id)).not.toContain(users.spammer);
    await shot(page, 'bad-duration');
    expect(consoleErrors).toEqual([]);
  });

  it('suggests a saved reason while a reason is typed, and picking it uses its full text', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const text = 'Posting spam links in several channels';
    await runInCommandBox(page, 'reasons', { name: 'spam', text }, 'spam', 'add');

    await page.selectOption('#command', 'warn');
    await page.selectOption('#opt-user', users.quiet);
    await page.locator('#opt-reason').pressSequentially('spa');
    const suggestion = page.locator('#autocomplete .autocomplete-choice', { hasText: 'spam' }).first();
    await suggestion.waitFor({ timeout: 20_000 });
    expect(await suggestion.textContent()).toBe(`spam — ${text}`);
    await shot(page, 'autocomplete');
    await suggestion.click();
    expect(await page.inputValue('#opt-reason')).toBe(`spam — ${text}`);
    expect(await page.locator('#autocomplete').isHidden()).toBe(true);
    await page.click('#send');
    await textOf(page.locator('#general .reply').last(), /Warned/);
    const warning = await eventually('the warning in the mod-log', async () =>
      (await modlogEmbeds(running)).find(
        (e) => e.title?.startsWith('Warning') || e.title?.startsWith('Warn'),
      ),
    );
    expect(JSON.stringify(warning)).toContain(text);
    expect(consoleErrors).toEqual([]);
  });

  it('deletes and warns from a message’s Apps menu, keeping the message as evidence', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const scam = 'Cheap followers at scam.example, DM me';
    await say(page, users.spammer, scam, users.moderator);
    const message = page.locator('#general .channel-message', { hasText: scam });
    await message.click({ button: 'right' });
    await page.locator('.context-menu [data-menu-item="apps"]').hover();
    expect(await page.locator('.context-menu .submenu [data-menu-item^="apps:"]').allTextContents()).toEqual([
      'Warn for this message',
      'Delete and warn',
    ]);
    await shot(page, 'message-menu');
    await page.locator('.context-menu [data-menu-item="apps:Delete and warn"]').click();
    const modal = page.locator('.modal-backdrop .modal');
    await textOf(modal.locator('h2'), 'Delete message and warn');
    // The reason is required: Discord's client does not let an empty one through.
    await modal.locator('.modal-submit').click();
    await textOf(modal.locator('.modal-field-error'), 'This field is required');
    await modal.locator('[data-custom-id="reason"]').fill('Advertising');
    await modal.locator('.modal-submit').click();
    await textOf(page.locator('#general .reply').last(), /Warned/, 30_000);
    await eventually('the message deleted', async () => (await message.count()) === 0, 20_000);
    const line = page.locator('#modlog .modlog-message', { hasText: 'Advertising' }).last();
    await textOf(line, scam, 30_000);
    await shot(page, 'delete-and-warn');
    expect(consoleErrors).toEqual([]);
  });

  it('picks a case from the menu of a mod-log message showing several, and edits its reason in a modal', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users, channels } = running.guild;
    // The next mod-log post takes 3 s: what happens meanwhile piles up and goes out as one message,
    // whose cases are offered in a menu.
    const hook = (await guildState(running)).webhooks.find((w) => w.channel_id === channels.modLogs);
    const fault = await fetch(`${running.dev.discordControlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        path: `^/webhooks/${hook?.id}/`,
        count: 1,
        status: 200,
        delayMs: 3_000,
        passThrough: true,
      }),
    });
    expect(fault.status).toBe(200);
    await page.selectOption('#command', 'warn');
    for (const [user, reason] of [
      [users.newcomer, 'Flooding the chat'],
      [users.spammer, 'Off-topic ads'],
      [users.quiet, 'Rude'],
    ] as const) {
      await page.selectOption('#opt-user', user);
      await page.fill('#opt-reason', reason);
      await page.click('#send');
      await textOf(page.locator('#general .reply').last(), /Warned/);
    }
    const menuLine = page
      .locator('#modlog .modlog-message', { has: page.locator('button.component-select') })
      .last();
    const select = menuLine.locator('button.component-select[data-custom-id="case:pick"]');
    await textOf(select, 'Act on a case in this message…', 30_000);
    await select.click();
    const options = page.locator('.select-menu .select-option');
    expect(await options.count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'case-menu');
    const label = (await options.last().locator('.select-option-label').textContent()) ?? '';
    expect(label).toMatch(/^#\d+ Warning$/);
    await options.last().click();

    // The case, for the picker alone, with its own buttons.
    const picked = page.locator('#modlog .reply', { hasText: label.replace(/ Warning$/, '') }).last();
    await textOf(picked, 'Only you can see this');
    expect(await picked.textContent()).toContain('Rude');
    await picked.locator('button[data-custom-id^="case:reason:"]').click();
    const modal = page.locator('.modal-backdrop .modal');
    await textOf(modal.locator('h2'), `Edit the reason of case ${label.replace(/ Warning$/, '')}`);
    expect(await modal.locator('[data-custom-id="reason"]').inputValue()).toBe('Rude');
    await modal.locator('[data-custom-id="reason"]').fill('Rude to other members');
    await shot(page, 'edit-reason-modal');
    await modal.locator('.modal-submit').click();
    await eventually('the modal to close', async () => (await page.locator('.modal-backdrop').count()) === 0);
    // The relay edits the line the case is on.
    await textOf(menuLine, 'Rude to other members', 30_000);
    expect(consoleErrors).toEqual([]);
  });

  it('purges one member’s messages out of the channel view', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    for (const n of [1, 2, 3]) await say(page, users.spammer, `spam wave ${n}`, users.moderator);
    await say(page, users.quiet, 'an honest question', users.moderator);
    await runInCommandBox(page, 'purge', { count: '20', user: users.spammer }, /3/);
    await eventually(
      'Sam’s messages gone',
      async () => (await page.locator('#general .channel-message', { hasText: 'spam wave' }).count()) === 0,
      20_000,
    );
    expect(await page.locator('#general .channel-message', { hasText: 'an honest question' }).count()).toBe(
      1,
    );
    await shot(page, 'purged');
    expect(consoleErrors).toEqual([]);
  });
});
