// The case system in the sandbox, in a real browser (Debian's Chromium, headless, driven by
// playwright-core), on a freshly started stack, as a moderator at the page's command box: an
// escalation policy (2 warnings within a day: a 10-minute mute) carried out on Tom's second warning
// (the reply names the mute's case, Tom shows as timed out, #mod-logs has the warnings and the
// automatic mute with its Source); a note about Tom (its reply and mod-log line, and no DM); /cases
// paged with its Previous/Next buttons (a click updates the same message, type 7); /history's counts
// and the mute in force; /duration moving the mute's end (the reply, the member's timeout, the mute's
// mod-log line edited); /case delete of a warning (the reply, its mod-log line greyed "[Removed]"
// without buttons, gone from /cases). Screenshots go to /tmp/sandbox-cases-*.png
// (SANDBOX_CASES_SCREENSHOTS=dir to put them elsewhere).
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  leftBorderOf,
  runInCommandBox,
  scrollTo,
  setUpModlog,
  textOf,
  useSandboxBrowser,
} from './browser.ts';
import { discordRequests, eventually, guildState, modlogEmbeds } from './support.ts';

const SHOTS = process.env.SANDBOX_CASES_SCREENSHOTS ?? '/tmp';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `sandbox-cases-${name}.png`) });

const openSandbox = useSandboxBrowser();

/** Runs a command from the command box (runInCommandBox); its reply is always the invoker's alone. */
async function run(...args: Parameters<typeof runInCommandBox>) {
  const ran = await runInCommandBox(...args);
  expect(ran.text).toContain('Only you can see this');
  return ran;
}

/** The case numbers a /cases page lists, in its order (each line starts with `#n` as code). */
const listed = async (reply: Locator) =>
  (await reply.locator('.embed-description code.inline').allTextContents())
    .filter((code) => /^#\d+$/.test(code))
    .map((code) => Number(code.slice(1)));

/** A title matched whole: "Warning | Case #1" is not "Warning | Case #12". */
const exactly = (title: string | RegExp) =>
  typeof title === 'string' ? new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : title;

/** The #mod-logs messages holding a line (an embed) titled `title`, e.g. "Mute | Case #3". */
const modlogMessage = (page: Page, title: string | RegExp) =>
  page
    .locator('#modlog .modlog-message')
    .filter({ has: page.locator('.embed .embed-title', { hasText: exactly(title) }) });

/** That line itself: the embed in #mod-logs titled `title`. */
const modlogLine = (page: Page, title: string | RegExp) =>
  page
    .locator('#modlog .modlog-message .embed')
    .filter({ has: page.locator('.embed-title', { hasText: exactly(title) }) });

/** An embed's field by its exact name. */
const fieldOf = (embed: Locator, name: string) =>
  embed.locator('.embed-field').filter({
    has: embed.page().locator('.embed-field-name', { hasText: new RegExp(`^${name}$`) }),
  });

/** The number of DM channels the bot opened so far (Discord's POST /users/@me/channels). */
const dmsOpened = async (stack: Parameters<typeof discordRequests>[0]) =>
  (await discordRequests(stack, '/users/@me/channels')).filter((r) => r.method === 'POST').length;

/** What the tests share: the cases they made, in order. */
const made = { warnings: [] as number[], mute: 0, note: 0, newest: 0 };

/** Case numbers from `from` down to 1. */
const downFrom = (from: number) => Array.from({ length: from }, (_, i) => from - i);

describe('the case system in the sandbox', () => {
  it('escalates Tom’s second warning to a mute, said in the reply and shown in #mod-logs', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    await setUpModlog(page);

    const policy = await run(
      page,
      'escalation',
      { warnings: '2', within: '1d', action: 'mute', duration: '10m' },
      /Added policy/,
      'add',
    );
    expect(policy.text).toMatch(/2 warnings/);
    await modlogLine(page, 'Escalation policy added').waitFor({ timeout: 20_000 });

    const first = await run(page, 'warn', { user: users.troublemaker, reason: 'Spamming invites' }, /Warned/);
    expect(first.text).not.toContain('This reached');
    const second = await run(
      page,
      'warn',
      { user: users.troublemaker, reason: 'Spamming invites again' },
      /This reached/,
    );
    // " This reached 2 warnings within 1d: muted them for 10 minutes — case #3."
    const mute = second.text.match(/This reached 2 warnings within 1d: (.+?) — case #(\d+)\./);
    expect(mute, second.text).not.toBeNull();
    made.mute = Number(mute?.[2]);
    await shot(page, 'escalated-reply');

    // Tom is timed out at Discord, and the member list says so.
    await textOf(page.locator(`#members .member[data-user="${users.troublemaker}"]`), 'timed out until');
    // …beside the name, where Discord shows it, not only in the sub-line the ellipsis may cut.
    await page.locator(`#members .member[data-user="${users.troublemaker}"] .name .timed-out`).waitFor();
    const tom = (await guildState(running)).members.find((m) => m.user?.id === users.troublemaker);
    const until = Date.parse(tom?.communication_disabled_until ?? '');
    expect(until - Date.now()).toBeGreaterThan(8 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    // #mod-logs: the two warnings, then the automatic mute, by the bot, from the policy.
    const warningLines = modlogLine(page, /^Warning \| Case #\d+$/);
    await eventually('both warnings in #mod-logs', async () => (await warningLines.count()) === 2, 30_000);
    made.warnings = (await warningLines.locator('.embed-title').allTextContents()).map((t) =>
      Number(t.replace(/^.*#/, '')),
    );
    expect(made.warnings).toEqual([made.mute - 2, made.mute - 1]);
    const muteLine = modlogLine(page, `Mute | Case #${made.mute}`);
    const muteText = await textOf(muteLine, 'Escalation policy', 30_000);
    expect(muteText).toContain(
      `Automatic: 2 warnings within 1d (cases #${made.warnings[0]}, #${made.warnings[1]})`,
    );
    expect(await fieldOf(muteLine, 'Source').textContent()).toContain('Escalation policy');
    expect(await fieldOf(muteLine, 'Member').textContent()).toContain('@Tom');
    const embed = (await modlogEmbeds(running)).find((e) => e.title === `Mute | Case #${made.mute}`);
    expect(embed?.fields?.find((f) => f.name === 'Moderator')?.value).toContain(running.dev.applicationId);
    await shot(page, 'escalated-modlog');
    expect(consoleErrors).toEqual([]);
  });

  it('notes Tom: the reply and a Note line in #mod-logs, and no DM', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    // The warnings DMed Tom; a note must not.
    const dmsBefore = await dmsOpened(running);
    expect(dmsBefore).toBeGreaterThan(0);
    const { text } = await run(
      page,
      'note',
      { user: users.troublemaker, text: 'Says he will behave; keep an eye on him' },
      /Noted/,
    );
    expect(text).toContain('@Tom');
    expect(text).not.toMatch(/DM/);
    const noteLine = modlogLine(page, /^Note \| Case #\d+$/);
    const noteText = await textOf(noteLine, 'Says he will behave; keep an eye on him', 30_000);
    made.note = Number(noteText.match(/Note \| Case #(\d+)/)?.[1]);
    expect(made.note).toBe(made.mute + 1);
    expect(await dmsOpened(running)).toBe(dmsBefore);
    await shot(page, 'note');
    expect(consoleErrors).toEqual([]);
  });

  it('pages /cases with its Previous and Next buttons, updating the same message', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    // Twelve more warnings (each its own reason, so the relay posts each one's line).
    for (let n = 1; n <= 12; n++) {
      await run(page, 'warn', { user: users.troublemaker, reason: `Off-topic, again (${n})` }, /Warned/);
    }
    const newest = made.note + 12;
    made.newest = newest;
    await modlogLine(page, `Warning | Case #${newest}`).waitFor({ timeout: 30_000 });

    const { reply } = await run(page, 'cases', { user: users.troublemaker }, /Cases/);
    const all = downFrom(newest);
    await eventually('ten cases listed', async () => (await listed(reply)).length === 10);
    expect(await listed(reply)).toEqual(all.slice(0, 10));
    expect(await reply.locator('.embed-description').textContent()).toContain('Filters: member @Tom');
    const previous = reply.locator('button[data-custom-id^="cases:"]', { hasText: 'Previous' });
    const next = reply.locator('button[data-custom-id^="cases:"]', { hasText: 'Next' });
    expect(await previous.isDisabled()).toBe(true);
    expect(await next.isDisabled()).toBe(false);
    const token = await reply.getAttribute('data-token');
    const replies = await page.locator('#general .reply').count();
    await shot(page, 'cases-page-1');

    // Next: the Worker answers the click with type 7, and the same message shows the rest; nothing
    // new is posted.
    const clicked = (button: Locator) =>
      Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/sandbox/api/components')),
        button.click(),
      ]).then(async ([answer]) => ((await answer.json()) as { body: { type: number } }).body.type);
    expect(await clicked(next)).toBe(7);
    await eventually('the second page', async () => (await listed(reply)).join() === all.slice(10).join());
    expect(await reply.getAttribute('data-token')).toBe(token);
    expect(await page.locator('#general .reply').count()).toBe(replies);
    await expect.poll(() => previous.isDisabled()).toBe(false);
    await expect.poll(() => next.isDisabled()).toBe(true);
    await shot(page, 'cases-page-2');

    // Previous: back to the first ten.
    expect(await clicked(previous)).toBe(7);
    await eventually(
      'the first page again',
      async () => (await listed(reply)).join() === all.slice(0, 10).join(),
    );
    await expect.poll(() => previous.isDisabled()).toBe(true);
    expect(await page.locator('#general .reply').count()).toBe(replies);
    expect(consoleErrors).toEqual([]);
  });

  it('sums up Tom’s /history: counts per action and the mute in force with its end', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const { reply } = await run(page, 'history', { user: users.troublemaker }, /History/);
    const description = await textOf(reply.locator('.embed-description'), 'cases');
    expect(description).toMatch(/^@Tom \(\d+\): 16 cases — Mute 1 · Warning 14 · Note 1/);
    const inForce = await textOf(fieldOf(reply, 'In force'), 'Mute');
    expect(inForce).toMatch(new RegExp(`Mute — ends in (10|9) minutes \\(case #${made.mute}\\)`));
    // The latest five, newest first.
    expect(await listed(reply)).toEqual(downFrom(made.newest).slice(0, 5));
    await shot(page, 'history');
    expect(consoleErrors).toEqual([]);
  });

  it('changes the mute’s end with /duration, and deletes a warning with /case delete', async () => {
    const { stack: running, page, consoleErrors } = await openSandbox();
    const { users } = running.guild;
    const muteLine = modlogLine(page, `Mute | Case #${made.mute}`);
    const ends = fieldOf(muteLine, 'Ends');
    expect(await ends.locator('time[data-style="R"]').textContent()).toMatch(/^in (10|9) minutes$/);

    const changed = await run(page, 'duration', { case: String(made.mute), duration: '1h' }, /now ends/);
    expect(changed.text).toContain(`Case #${made.mute} now ends`);
    expect(changed.text).toMatch(/\((in an hour|in \d\d minutes)\)/);
    // Discord's timeout moved: an hour from the case.
    await eventually('Tom’s timeout moved', async () => {
      const tom = (await guildState(running)).members.find((m) => m.user?.id === users.troublemaker);
      return Date.parse(tom?.communication_disabled_until ?? '') - Date.now() > 50 * 60_000;
    });
    // The relay edits the mute's line to the new end.
    await textOf(ends.locator('time[data-style="R"]'), /^in (an hour|5\d minutes)$/, 30_000);
    await modlogMessage(page, `Mute | Case #${made.mute}`).locator('.edited').waitFor({ timeout: 20_000 });
    await scrollTo(muteLine);
    await shot(page, 'duration');

    const warning = made.warnings[0] as number;
    // Before: the warning's line carries its case buttons.
    expect(
      await modlogMessage(page, `Warning | Case #${warning}`)
        .locator('button.component-button')
        .allTextContents(),
    ).toEqual(['Edit reason', 'History']);
    const deleted = await run(
      page,
      'case',
      { number: String(warning), reason: 'Issued to the wrong member' },
      /Deleted case/,
      'delete',
    );
    expect(deleted.text).toContain(`Deleted case #${warning}`);
    // Its line: greyed, "[Removed]", who removed it and why, no buttons.
    const line = modlogLine(page, `[Removed] Warning | Case #${warning}`);
    const lineText = await textOf(line, 'Issued to the wrong member', 30_000);
    expect(lineText).toContain('Removed');
    // Discord's grey (#747f8d) on its colour bar; read in a retry, as the relay's edit redraws it.
    await expect.poll(() => leftBorderOf(line), { timeout: 10_000 }).toBe('rgb(116, 127, 141)');
    // Its message held only this line: its Edit reason and History buttons are gone.
    const message = modlogMessage(page, `[Removed] Warning | Case #${warning}`);
    expect(await message.count()).toBe(1);
    await eventually('its buttons cleared', async () => (await message.locator('button').count()) === 0);
    expect(await message.locator('.embed').count()).toBe(1);
    await scrollTo(line);
    await shot(page, 'case-deleted');

    // /cases no longer lists it: the second page ends at the other warning.
    const { reply } = await run(page, 'cases', { user: users.troublemaker }, /Cases/);
    await eventually('the first page', async () => (await listed(reply)).length === 10);
    await reply.locator('button[data-custom-id^="cases:"]', { hasText: 'Next' }).click();
    const rest = downFrom(made.newest - 10).filter((n) => n !== warning);
    await eventually(
      'the second page without the deleted warning',
      async () => (await listed(reply)).join() === rest.join(),
    );
    expect(rest).not.toContain(warning);
    await shot(page, 'cases-after-delete');
    expect(consoleErrors).toEqual([]);
  });
});
