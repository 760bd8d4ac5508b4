// The sandbox page's "Act in Discord's own UI" panel, in headless Chromium against the whole stack
// `npm run dev` runs (the Worker under wrangler dev with its Cloudflare Queue consumer): a moderator
// bans Tom in Discord itself, not through Lockdown, and AutoMod times Sam out; the member list shows
// each at once (the stand-in changed the guild), and after "Sync the audit log now" (the guild made
// due, the cron's fan-out, the queue consumer's sync) #mod-logs shows the cases with their Source.
// The first sync only sets where Lockdown starts reading, so it runs before the first action.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { textOf, useSandboxBrowser } from './browser.ts';
import { eventually, guildState, modlogEmbeds } from './support.ts';

const SHOTS = process.env.SANDBOX_AUDIT_SCREENSHOTS ?? '/tmp';

const openSandbox = useSandboxBrowser();

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-audit-${name}.png`) });

describe('the sandbox: actions taken in Discord’s own UI become cases', () => {
  it('a moderator’s ban and AutoMod’s timeout, synced from the audit log into #mod-logs', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    // "Sync the audit log now" makes the guild due in the database the dev runner gives the page.
    const sync = (await (await fetch(`${running.dev.sandboxUrl}api/audit-sync`)).json()) as {
      available: boolean;
    };
    expect(sync.available, 'seedSandbox (dev/runner/steps.ts) passes databaseUrl to createSandboxPages').toBe(
      true,
    );

    await page.locator('#setup-modlog').click();
    await page
      .locator('.modlog-message .embed', { hasText: 'Mod-log channel set' })
      .waitFor({ timeout: 20_000 });

    // The first sync: Lockdown starts reading the audit log from now.
    await page.click('#ui-sync');
    await textOf(page.locator('#ui-sync-state'), 'Synced just now.');

    // Maya bans Tom in Discord, with a reason (right-click picks him, as Discord's member menu).
    await page.locator(`#members .member[data-user="${users.troublemaker}"]`).click({ button: 'right' });
    expect(await page.inputValue('#ui-target')).toBe(users.troublemaker);
    await page.selectOption('#ui-action', 'ban');
    await page.selectOption('#ui-actor', users.moderator);
    await page.fill('#ui-reason', 'Posting scam links (banned by hand)');
    await page.click('#ui-act');
    // The member list shows it at once: Tom is among the banned, with the audit-log reason.
    await textOf(
      page.locator(`#members .member.banned[data-user="${users.troublemaker}"]`),
      'Posting scam links (banned by hand)',
    );
    expect((await guildState(running)).bans.map((b) => b.user.id)).toContain(users.troublemaker);
    // Nothing in #mod-logs until Lockdown reads the audit log.
    expect((await modlogEmbeds(running)).some((e) => e.title?.startsWith('Ban'))).toBe(false);

    await page.click('#ui-sync');
    await textOf(page.locator('#ui-sync-state'), 'Synced just now.');
    const ban = page.locator('.modlog-message .embed', { hasText: 'Posting scam links (banned by hand)' });
    const banText = await textOf(ban, 'Source');
    expect(banText).toMatch(/Ban \| Case #\d+/);
    expect(banText).toContain('Maya');
    expect(banText).toContain('Tom');
    expect(banText).toContain('Discord (by hand, or another bot)');
    const banEmbed = await eventually('the ban case posted', async () =>
      (await modlogEmbeds(running)).find((e) => e.title?.startsWith('Ban |')),
    );
    const field = (name: string) => banEmbed.fields?.find((f) => f.name === name)?.value;
    expect(field('Moderator')).toContain(users.moderator);
    expect(field('Member')).toContain(users.troublemaker);
    expect(field('Source')).toContain('Discord');
    await shot(page, 'ban');

    // AutoMod times Sam out under a rule of the server's.
    await page.selectOption('#ui-action', 'automod_timeout');
    await page.selectOption('#ui-target', users.spammer);
    await page.selectOption('#ui-duration', '600000');
    await page.fill('#ui-rule', 'No invite links');
    expect(await page.locator('#ui-actor-field').isHidden()).toBe(true);
    await page.click('#ui-act');
    await textOf(page.locator(`#members .member[data-user="${users.spammer}"]`), 'timed out until');

    // The sidebar's "Run it now" cron syncs the audit log too.
    await page.click('[data-cron="0"]');
    await textOf(page.locator('#toast'), 'Cron ran now: ok');
    const automod = page.locator('.modlog-message .embed', { hasText: 'AutoMod (rule: No invite links)' });
    const automodText = await textOf(automod, 'Sam');
    expect(automodText).toContain('Case #');
    const automodEmbed = await eventually('the AutoMod case posted', async () =>
      (await modlogEmbeds(running)).find((e) =>
        e.fields?.some((f) => f.name === 'Source' && f.value === 'AutoMod (rule: No invite links)'),
      ),
    );
    expect(automodEmbed.fields?.find((f) => f.name === 'Member')?.value).toContain(users.spammer);
    await shot(page, 'automod');

    expect(consoleErrors).toEqual([]);

    // Discord's client refuses what the moderator may not do (the stand-in answers 403); nothing changes.
    await page.selectOption('#ui-action', 'kick');
    await page.selectOption('#ui-actor', users.helper);
    await page.selectOption('#ui-target', users.quiet);
    await page.click('#ui-act');
    await textOf(page.locator('#toast'), 'Discord refused');
    expect((await guildState(running)).members.some((m) => m.user?.id === users.quiet)).toBe(true);
  }, 180_000);
});
