// The dashboard's settings page in headless Chromium against the whole stack: the owner signs in
// through the stand-in, sets #mod-logs as the mod-log channel with the form (and the relay posts the
// change in the sandbox's mod-log, marked as made on the dashboard), saves a reason and adds an
// escalation policy and sees both listed; a refused name is answered with /reasons' words; and a
// page served from another origin whose form posts to the settings on its own is refused (403),
// the database unchanged. Screenshots go to /tmp/sandbox-dashboard-settings-*.png
// (SANDBOX_DASHBOARD_SCREENSHOTS=dir).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useSandboxBrowser } from './browser.ts';
import { openDashboardTab, signInToDashboard } from './dashboard-browser.ts';
import type { E2eStack } from './support.ts';

const SHOTS = process.env.SANDBOX_DASHBOARD_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-dashboard-settings-${name}.png`), fullPage: true });

const openSandbox = useSandboxBrowser();

async function query<T>(stack: E2eStack, text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.dev.databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** What the cross-site page could have changed. */
const savedReasons = (stack: E2eStack) =>
  query<{ name: string; text: string }>(
    stack,
    'select name, text from saved_reasons where guild_id = $1 order by name_key',
    [stack.guild.guildId],
  );

let dashboard: { tab: Page; errors: string[] } | null = null;
let evil: Server | null = null;
afterAll(async () => {
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve(null)));
});

describe('the dashboard’s settings in the sandbox', () => {
  it('lets the owner set the mod-log channel, save a reason and add a policy through the forms', async () => {
    const { stack, page, consoleErrors } = await openSandbox();
    const { guildId, users, channels } = stack.guild;
    // Nothing has run in this server yet: no guilds row, so the dashboard asks Discord whether
    // Lockdown is in it (and it is).
    dashboard = await openDashboardTab(page);
    const { tab } = dashboard;
    await signInToDashboard(tab, stack, users.owner);
    const settings = `${stack.dev.workerUrl}/dashboard/guilds/${guildId}/settings`;
    await tab.goto(settings);
    await tab.locator('#modlog', { hasText: 'The mod-log is off.' }).waitFor();
    await shot(tab, 'off');

    // The mod-log channel, from the server's channels as Discord lists them to the bot.
    const choices = await tab.locator('#modlog-channel option').allTextContents();
    expect(choices).toContain('#mod-logs');
    expect(choices).toContain('#announcements');
    expect(choices.some((c) => c.includes('Lounge'))).toBe(false);
    await tab.selectOption('#modlog-channel', channels.modLogs);
    await Promise.all([
      tab.waitForURL(`${settings}?done=modlog-set`),
      tab.click('#modlog button[type="submit"]'),
    ]);
    await tab.locator('.notice', { hasText: 'The mod-log now goes to the chosen channel.' }).waitFor();
    expect(await tab.locator('#modlog dt:text-is("Channel") + dd').textContent()).toBe('#mod-logs');
    expect(await tab.locator('#modlog dt:text-is("Health") + dd').textContent()).toBe('Working');
    // The relay posts the change in #mod-logs, saying who made it and that it came from the dashboard.
    const line = page.locator('.modlog-message .embed', { hasText: 'Mod-log channel set' });
    await line.waitFor({ timeout: 30_000 });
    expect(await line.locator('.embed-field', { hasText: 'Via' }).textContent()).toContain('Dashboard');
    await shot(tab, 'modlog-set');

    // A saved reason.
    await tab.fill('#reason-name', 'spam');
    await tab.fill('#reason-text', 'Spamming links in several channels');
    await Promise.all([
      tab.waitForURL(`${settings}?done=reason-saved`),
      tab.click('#reasons button:text-is("Save reason")'),
    ]);
    await tab.locator('.notice', { hasText: 'Saved the reason.' }).waitFor();
    const reasonRow = tab.locator('#reasons tbody tr', { hasText: 'spam' });
    expect(await reasonRow.locator('td[data-label="Text"]').textContent()).toBe(
      'Spamming links in several channels',
    );

    // An escalation policy.
    await tab.fill('#policy-warnings', '3');
    await tab.fill('#policy-within', '7d');
    await tab.selectOption('#policy-action', 'mute');
    await tab.fill('#policy-duration', '1h');
    await Promise.all([
      tab.waitForURL(`${settings}?done=policy-added`),
      tab.click('#policies button:text-is("Add policy")'),
    ]);
    // The redirect's page, once loaded (allTextContents does not wait for it).
    await tab.locator('.notice', { hasText: 'Added the escalation policy.' }).waitFor();
    expect(await tab.locator('#policies td[data-label="Policy"]').allTextContents()).toEqual([
      '#1 — at 3 warnings within 7d: mute for 1h',
    ]);
    expect(await tab.locator('#policies td[data-label="Added by"]').textContent()).toContain(users.owner);
    await shot(tab, 'edited');

    // A name /reasons refuses is refused here in its words, and the typed text is kept.
    await tab.fill('#reason-name', 'two words');
    await tab.fill('#reason-text', 'Something');
    const [refused] = await Promise.all([
      tab.waitForResponse((r) => r.url() === `${settings}/reasons` && r.request().method() === 'POST'),
      tab.click('#reasons button:text-is("Save reason")'),
    ]);
    expect(refused.status()).toBe(400);
    await tab.locator('#reasons .error', { hasText: 'A name is one word of letters' }).waitFor();
    expect(await tab.inputValue('#reason-name')).toBe('two words');
    expect(await savedReasons(stack)).toEqual([{ name: 'spam', text: 'Spamming links in several channels' }]);
    await shot(tab, 'refused');
    expect(consoleErrors).toEqual([]);
    // The 400 page's own status is the only error the tab logged.
    expect(dashboard.errors.filter((e) => !e.includes('400'))).toEqual([]);
  });

  it('refuses a form another origin submits to the settings, and changes nothing', async () => {
    const { stack } = await openSandbox();
    if (!dashboard) throw new Error('the first test did not sign in');
    const { tab } = dashboard;
    const target = `${stack.dev.workerUrl}/dashboard/guilds/${stack.guild.guildId}/settings/reasons`;
    // Same host, another port: another origin, yet the same site, so the browser does send the
    // session cookie (SameSite=Lax does not help here); only the CSRF defence stands in the way.
    const page = `<!doctype html><title>Win a prize</title>
<form method="post" action="${target}">
<input name="name" value="pwned"><input name="text" value="Posted from another site">
<input name="_csrf" value="guessed">
</form>
<script>document.forms[0].submit()</script>`;
    evil = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
    });
    const host = new URL(stack.dev.workerUrl).hostname;
    await new Promise<void>((resolve) => evil?.listen(0, host, resolve));
    const evilUrl = `http://${host}:${(evil.address() as AddressInfo).port}/`;
    const before = await savedReasons(stack);

    const [answer] = await Promise.all([
      tab.waitForResponse((r) => r.url() === target && r.request().method() === 'POST'),
      tab.goto(evilUrl),
    ]);
    const sent = await answer.request().allHeaders();
    expect(sent.cookie).toContain('lockdown_session=');
    expect(sent.origin).toBe(new URL(evilUrl).origin);
    expect(answer.status()).toBe(403);
    // The refusal is a page of its own that says so: no settings page, no form to resubmit.
    await tab.locator('h1', { hasText: 'Request refused' }).waitFor();
    expect(await tab.locator('main').textContent()).toContain(
      'This request did not come from a Lockdown dashboard page, so nothing was changed.',
    );
    expect(await tab.locator('#reasons').count()).toBe(0);
    await shot(tab, 'cross-site');
    expect(await savedReasons(stack)).toEqual(before);
    expect(before.map((r) => r.name)).toEqual(['spam']);
    await tab.close();
  });
});
