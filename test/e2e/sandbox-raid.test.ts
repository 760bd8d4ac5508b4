// The sandbox's raid tools in a real browser (Debian's Chromium, headless, driven by playwright-core
// as in sandbox-browser.test.ts), on a freshly started stack: /lockdown channel in #chat puts a
// padlock on it and disables the composer with Discord's wording for a member (and for a moderator
// without Administrator, as on Discord), the mod-log shows "Channel locked"; /unlock from #general
// lifts it; /slowmode 1m shows on the channel and under the composer; a simulated raid of 300
// accounts shows in the member list, its ids go into /massban, whose preview's Confirm button is
// clicked as Discord sends clicks (a signed MESSAGE_COMPONENT interaction) and the bans reach the
// mod-log. Screenshots go to /tmp/sandbox-raid-*.png (SANDBOX_RAID_SCREENSHOTS=dir to put them elsewhere).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { backgroundOf, textOf, useSandboxBrowser } from './browser.ts';
import { eventually, guildState } from './support.ts';

const SHOTS = process.env.SANDBOX_RAID_SCREENSHOTS ?? '/tmp';

const openSandbox = useSandboxBrowser();

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `sandbox-raid-${name}.png`) });

describe('the sandbox raid tools', () => {
  it('locks, unlocks and slows a channel, and massbans a simulated raid through its preview’s buttons', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users, channels } = running.guild;

    const chat = page.locator(`#channels .channel[data-channel="${channels.chat}"]`);
    const general = page.locator(`#channels .channel[data-channel="${channels.general}"]`);
    await chat.waitFor();
    // #staff is hidden from @everyone, so a member's sidebar does not list it; a moderator's does.
    await page.locator(`#channels .channel[data-channel="${channels.staff}"]`).waitFor();
    await page.selectOption('#invoker', users.troublemaker);
    await eventually(
      '#staff hidden from Tom',
      async () => (await page.locator(`#channels .channel[data-channel="${channels.staff}"]`).count()) === 0,
    );
    await page.selectOption('#invoker', users.moderator);

    await page.locator('#setup-modlog').click();
    await page
      .locator('.modlog-message .embed', { hasText: 'Mod-log channel set' })
      .waitFor({ timeout: 20_000 });

    // /lockdown channel, typed in #chat: the padlock, the composer, the mod-log.
    await chat.click();
    await textOf(page.locator('#channel-name'), 'chat');
    await page.selectOption('#command', 'lockdown');
    await page.selectOption('#subcommand', 'channel');
    await page.fill('#opt-reason', 'Raid in progress');
    await page.fill('#opt-notice', 'This channel is locked while we deal with a raid.');
    await page.click('#send');
    // The notice is posted in the channel, as a message of the bot's.
    await textOf(
      page.locator('#general .channel-message'),
      'This channel is locked while we deal with a raid.',
    );
    await chat.locator('.padlock').waitFor({ timeout: 20_000 });
    const locked = await page
      .locator('.modlog-message .embed', { hasText: 'Channel locked' })
      .first()
      .waitFor({ timeout: 20_000 })
      .then(() => page.locator('.modlog-message .embed', { hasText: 'Channel locked' }).first());
    expect(await locked.textContent()).toContain('#chat');
    await page.selectOption('#invoker', users.troublemaker);
    await textOf(
      page.locator('#composer-locked:not([hidden])'),
      'You do not have permission to send messages in this channel.',
    );
    expect(await page.locator('#send').isDisabled()).toBe(true);
    await shot(page, 'locked-member');
    // A moderator without Administrator is @everyone too: Discord would not let Maya type here either.
    await page.selectOption('#invoker', users.moderator);
    await eventually('the composer still locked for Maya', async () => page.locator('#send').isDisabled());

    // /unlock channel from #general, naming #chat.
    await general.click();
    await eventually(
      'the composer open in #general',
      async () => !(await page.locator('#send').isDisabled()),
    );
    await page.selectOption('#command', 'unlock');
    await page.selectOption('#subcommand', 'channel');
    await page.selectOption('#opt-channel', channels.chat);
    await page.click('#send');
    await eventually('the padlock gone', async () => (await chat.locator('.padlock').count()) === 0);
    await page
      .locator('.modlog-message .embed', { hasText: 'Channel unlocked' })
      .waitFor({ timeout: 20_000 });

    // /slowmode 1m in #chat.
    await chat.click();
    await eventually('the composer open in #chat', async () => !(await page.locator('#send').isDisabled()));
    await page.selectOption('#command', 'slowmode');
    await page.selectOption('#opt-interval', '1m');
    await page.click('#send');
    await chat.locator('.slowmode').waitFor({ timeout: 20_000 });
    expect(await chat.getAttribute('data-slowmode')).toBe('60');
    await textOf(page.locator('#slowmode-note'), 'Slowmode is enabled (1m), but you are immune.');
    await page.selectOption('#invoker', users.troublemaker);
    await textOf(page.locator('#slowmode-note'), /^Slowmode is enabled \(1m\)\.$/);
    await shot(page, 'slowmode-member');
    await page.selectOption('#invoker', users.moderator);

    // A raid: 300 accounts join; their ids go into /massban.
    await general.click();
    await page.click('#simulate-raid');
    await textOf(page.locator('#members'), 'Just joined — 300');
    const joined = (await guildState(running)).members.length;
    expect(joined).toBeGreaterThanOrEqual(300);
    await page.click('#copy-raiders');
    expect(await page.inputValue('#command')).toBe('massban');
    const listed = (await page.inputValue('#opt-users')) || (await page.inputValue('#opt-file'));
    expect(listed.split('\n')).toHaveLength(300);
    await page.fill('#opt-reason', 'Raid: 300 accounts in a minute');
    await shot(page, 'raid');
    await page.click('#send');

    // The preview: ephemeral, with Confirm and Cancel buttons whose custom_ids start with massban:.
    const preview = page
      .locator('#general .reply', { has: page.locator('button[data-custom-id^="massban:"]') })
      .last();
    await preview.waitFor({ timeout: 30_000 });
    expect(await preview.textContent()).toContain('Only you can see this');
    const confirm = preview.locator('button[data-custom-id^="massban:"]', { hasText: 'Confirm' });
    const cancel = preview.locator('button[data-custom-id^="massban:"]', { hasText: 'Cancel' });
    // Discord's button colours: Confirm is a danger (red) button, Cancel a secondary (grey) one. Read
    // in a retry: polling redraws the reply, and an element replaced mid-read fails the read.
    await expect.poll(() => backgroundOf(confirm), { timeout: 10_000 }).toBe('rgb(218, 55, 60)');
    await expect.poll(() => backgroundOf(cancel), { timeout: 10_000 }).toBe('rgb(78, 80, 88)');
    const token = await preview.getAttribute('data-token');
    await shot(page, 'massban-preview');
    await confirm.click();
    // The click is a signed MESSAGE_COMPONENT interaction; the Worker updates the preview in place
    // and edits it through the click's token as it goes, to the summary at the end.
    const message = page.locator(`#general .reply[data-token="${token}"]`);
    await textOf(message, 'Banned 300 users', 60_000);
    expect(await message.locator('button').count()).toBe(0);
    await eventually('the 300 bans', async () => (await guildState(running)).bans.length >= 300, 60_000, 250);
    const digests = page.locator('.modlog-message .embed', { hasText: /^Ban ×\d+ \| Cases #/ });
    await eventually('the bans in the mod-log', async () => (await digests.count()) > 0, 60_000, 250);
    await textOf(page.locator('#members'), 'Banned — 300', 20_000);
    await shot(page, 'massban-done');
    expect(consoleErrors).toEqual([]);
  });

  it('shows /raidmode as Discord’s security banner, and cancels a massban listed in a file', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;

    // Booleans: invites paused, DMs not.
    await page.selectOption('#command', 'raidmode');
    await page.selectOption('#subcommand', 'on');
    await page.fill('#opt-duration', '1h');
    await page.selectOption('#opt-dms', 'false');
    await page.click('#send');
    const banner = page.locator('#security .security-banner.active');
    await textOf(banner, 'Invites paused until');
    expect(await banner.textContent()).not.toContain('DMs paused');
    expect((await guildState(running)).incidents_data?.dms_disabled_until ?? null).toBeNull();

    // A file pasted into /massban's attachment option: uploaded, resolved, read by the Worker.
    await page.selectOption('#command', 'massban');
    await page.fill('#opt-reason', 'Spam wave');
    await page.fill('#opt-file', `${users.spammer}\n${users.quiet}\n`);
    await page.fill('#opt-file-name', 'spammers.txt');
    await page.click('#send');
    const preview = page
      .locator('#general .reply', { has: page.locator('button[data-custom-id^="massban:cancel:"]') })
      .last();
    await textOf(preview, '2 users', 30_000);
    const token = await preview.getAttribute('data-token');
    await preview.locator('button[data-custom-id^="massban:cancel:"]').click();
    const message = page.locator(`#general .reply[data-token="${token}"]`);
    await textOf(message, 'Cancelled. Nobody was banned.');
    expect(await message.locator('button').count()).toBe(0);
    const bans = (await guildState(running)).bans.map((b) => b.user.id);
    expect(bans).not.toContain(users.spammer);
    expect(bans).not.toContain(users.quiet);
    await shot(page, 'raidmode-cancelled');
    expect(consoleErrors).toEqual([]);
  });
});
