// The sandbox page in a real browser: Debian's Chromium, headless, driven by playwright-core (which
// downloads no browser of its own). Loads the page of a freshly started stack, sets the mod-log from
// the banner, bans a member through the command box, and checks the embed the relay posts is drawn
// as Discord draws it; then makes the webhook fail once from the page and watches the relay recover.
// LOCKDOWN_SCREENSHOT=docs/sandbox.png saves a screenshot at the end (the README's).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { leftBorderOf, textOf, useSandboxBrowser } from './browser.ts';
import { discordRequests, eventually } from './support.ts';

const openSandbox = useSandboxBrowser();

/** Where an element sits on the page. */
const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).boundingBox();
  if (!found) throw new Error(`${selector} is not on the page`);
  return found;
};

describe('the sandbox page', () => {
  it('sets the mod-log, bans a member from the command box and shows the embed as Discord does', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;

    // A fresh server has no mod-log: the page offers to set it up in one click.
    await page.locator('#setup-modlog').click();
    const setEmbed = page.locator('.modlog-message .embed', { hasText: 'Mod-log channel set' });
    await setEmbed.waitFor({ timeout: 20_000 });
    await textOf(page.locator('#general .reply').last(), 'The mod-log now goes to #mod-logs');
    await eventually('the banner to go', async () => (await page.locator('#setup-modlog').count()) === 0);

    // /ban from the command box, built from the command's definition.
    await page.selectOption('#command', 'ban');
    await page.selectOption('#opt-user', users.troublemaker);
    await page.fill('#opt-reason', 'Posting invite links in every channel');
    await page.fill('#opt-duration', '1h');
    await page.selectOption('#opt-delete_messages', '1h');
    await page.click('#send');

    const reply = page.locator('#general .reply').last();
    const replyText = await textOf(reply, 'Banned @Tom for 1 hour');
    expect(replyText).toContain('Only you can see this');
    const embed = page.locator('.modlog-message .embed', { hasText: 'Temporary ban | Case #' });
    await embed.waitFor({ timeout: 20_000 });

    // Colour bar, title, mentions as names, inline fields side by side, live timestamps.
    await expect.poll(() => leftBorderOf(embed)).toBe('rgb(231, 76, 60)');
    expect(await embed.locator('.embed-title').textContent()).toBe('Temporary ban | Case #1');
    const member = embed.locator('.embed-field', { hasText: 'Member' }).first();
    expect(await member.locator('.mention-user').textContent()).toBe('@Tom');
    const embedText = (await embed.textContent()) ?? '';
    expect(embedText).not.toContain('<@');
    expect(embedText).not.toContain('<t:');
    const moderatorBox = await box(page, '.modlog-message .embed >> .embed-field:has-text("Moderator")');
    const memberBox = await member.boundingBox();
    expect(memberBox?.y).toBe(moderatorBox.y);
    expect(moderatorBox.x).toBeGreaterThan(memberBox?.x ?? Number.POSITIVE_INFINITY);
    const reasonBox = await embed.locator('.embed-field', { hasText: 'Reason' }).boundingBox();
    expect(reasonBox?.y).toBeGreaterThan(moderatorBox.y);
    expect(reasonBox?.width).toBeGreaterThan(moderatorBox.width * 1.5);
    const ends = embed.locator('.embed-field', { hasText: 'Ends' });
    expect(await ends.locator('time[data-style="R"]').textContent()).toMatch(/^in (an hour|\d+ minutes)$/);
    expect(await ends.locator('time[data-style="f"]').textContent()).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}/);
    expect(await embed.locator('.embed-footer').textContent()).toContain('Today at');
    await textOf(page.locator('#members .member.banned'), 'Tom');

    // Watch recovery: the next webhook post fails with a 500, the relay retries, the embed arrives.
    await page.click('[data-fault="webhook-500"]');
    await textOf(page.locator('#toast'), '500');
    await page.selectOption('#command', 'warn');
    await page.selectOption('#opt-user', users.spammer);
    await page.fill('#opt-reason', 'Please keep it civil');
    await page.click('#send');
    await page
      .locator('.modlog-message .embed', { hasText: 'Warning | Case #2' })
      .waitFor({ timeout: 30_000 });
    const webhookPosts = await eventually('the failed and the retried webhook post', async () => {
      const posts = (await discordRequests(running, '/webhooks/')).filter((r) => r.method === 'POST');
      return posts.some((r) => r.status === 500) ? posts : null;
    });
    expect(webhookPosts.at(-1)?.status).toBe(200);

    if (process.env.LOCKDOWN_SCREENSHOT) {
      await page.mouse.move(0, 0);
      await page.addStyleTag({ content: '#toast { display: none !important; }' });
      await page.screenshot({ path: process.env.LOCKDOWN_SCREENSHOT });
    }

    // A slow Discord: the Worker answers "thinking" (deferred) and edits @original later; the page
    // shows one, then the other.
    const slowBan = await fetch(`${running.dev.discordControlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'PUT',
        path: '^/guilds/\\d+/bans/',
        count: 1,
        status: 200,
        passThrough: true,
        delayMs: 3_000,
      }),
    });
    expect(slowBan.status).toBe(200);
    await page.selectOption('#command', 'ban');
    await page.selectOption('#opt-user', users.quiet);
    await page.click('#send');
    const deferred = page.locator('#general .reply[data-state="deferred"]');
    await textOf(deferred, 'Lockdown is thinking');
    const edited = await textOf(page.locator('#general .reply').last(), 'Banned @Quinn', 30_000);
    expect(edited).toContain('could not DM them');
    expect(await page.locator('#general .reply').last().getAttribute('data-state')).toBe('answered');
    expect(consoleErrors).toEqual([]);
  });
});
