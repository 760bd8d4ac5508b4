// Headless Chromium for the sandbox's browser tests: Debian's package driven by playwright-core
// (which downloads no browser of its own), one throwaway profile per test file, and the wait for a
// locator's text that every browser test uses, an element's colour read for a retry;
// `useSandboxBrowser` gives a test file its stack, browser and sandbox page (and a screenshot of the
// page when a test fails).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { type E2eStack, eventually, startE2eStack } from './support.ts';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
export const chromiumPath = process.env.CHROMIUM_PATH || CHROMIUM_CANDIDATES.find((path) => existsSync(path));
export const NO_CHROMIUM = `Chromium is not installed, and the sandbox's browser tests need it (playwright-core drives it; it downloads no browser).
Install Debian's package:  sudo apt-get update && sudo apt-get install -y chromium
(Ubuntu: chromium-browser; or set CHROMIUM_PATH to a Chromium or Chrome binary). CI installs it in .ci/run.`;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, at a desktop size; null when none is installed. */
export async function launchBrowser(): Promise<Browser | null> {
  if (!chromiumPath) return null;
  const profile = mkdtempSync(join(tmpdir(), 'lockdown-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1600, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the element's text contains `expected` (or matches it), then returns the text. */
export async function textOf(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  const matches = (text: string) =>
    typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  return eventually(
    `text ${String(expected)}`,
    async () => {
      const text = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
      return matches(text) ? text : null;
    },
    timeoutMs,
  );
}

/** Sets #mod-logs as the mod-log channel from the sandbox's banner, and waits for the bot's line saying so. */
export async function setUpModlog(page: Page): Promise<void> {
  await page.locator('#setup-modlog').click();
  await page
    .locator('.modlog-message .embed', { hasText: 'Mod-log channel set' })
    .waitFor({ timeout: 20_000 });
}

/**
 * Runs `/command [subcommand] …fields` from the command box as the invoker picked (a picker is chosen
 * from, a text field typed in), and returns its reply in #general once it reads `expected` (a reply
 * is added the moment the command is sent).
 */
export async function runInCommandBox(
  page: Page,
  command: string,
  fields: Record<string, string>,
  expected: string | RegExp,
  subcommand?: string,
): Promise<{ reply: Locator; text: string }> {
  await page.selectOption('#command', command);
  if (subcommand) await page.selectOption('#subcommand', subcommand);
  for (const [name, value] of Object.entries(fields)) {
    const field = page.locator(`#opt-${name}`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  const replies = page.locator('#general .reply');
  const before = await replies.count();
  await page.click('#send');
  const reply = replies.nth(before);
  return { reply, text: await textOf(reply, expected, 30_000) };
}

/**
 * An element's computed background colour, read once (a short wait for the element, so a caller's
 * retry — `expect.poll` — sees a redrawn element rather than hanging on a detached one).
 */
export function backgroundOf(locator: Locator): Promise<string> {
  return locator.evaluate(
    (el) =>
      (
        globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
      ).getComputedStyle(el).backgroundColor,
    undefined,
    { timeout: 2_000 },
  );
}

/** An element's computed left border colour (an embed's colour bar), read once as `backgroundOf`. */
export function leftBorderOf(locator: Locator): Promise<string> {
  return locator.evaluate(
    (el) =>
      (
        globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftColor: string } }
      ).getComputedStyle(el).borderLeftColor,
    undefined,
    { timeout: 2_000 },
  );
}

/**
 * Scrolls an element into view for a screenshot. The panes redraw while polling, so the element
 * found may be replaced before the scroll: find it again, a few times, instead of failing.
 */
export async function scrollTo(locator: Locator): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await locator.scrollIntoViewIfNeeded({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('not attached')) throw error;
    }
  }
}

/** What a browser test works with: the stack, and the page opened on its sandbox. */
export interface SandboxSession {
  stack: E2eStack;
  page: Page;
  /** Errors the page logged or threw so far (a test ends by expecting none). */
  consoleErrors: string[];
}

/**
 * Starts a stack and a browser for this file (beforeAll/afterAll), and gives each test the sandbox
 * page: opened once, with its console errors collected and, when the test fails, the console and
 * the stack's last output printed. Fails with NO_CHROMIUM when no Chromium is installed.
 */
export function useSandboxBrowser(): () => Promise<SandboxSession> {
  let stack: E2eStack | null = null;
  let browser: Browser | null = null;
  let session: SandboxSession | null = null;
  beforeAll(async () => {
    if (!chromiumPath) return; // the tests fail with NO_CHROMIUM
    stack = await startE2eStack();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);
  return async () => {
    if (!chromiumPath || !stack || !browser) throw new Error(NO_CHROMIUM);
    const running = stack;
    const consoleErrors = session?.consoleErrors ?? [];
    onTestFailed(async ({ task }) => {
      console.error(`--- browser console ---\n${consoleErrors.join('\n')}`);
      console.error(`--- the stack's last output ---\n${running.logs.slice(-150).join('\n')}`);
      // The page as it stood when the test failed.
      const path = join(
        tmpdir(),
        `sandbox-failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`,
      );
      await session?.page
        .screenshot({ path })
        .then(() => console.error(`--- the page when it failed: ${path}`))
        .catch(() => {});
    });
    if (session) return session;
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(running.dev.sandboxUrl as string);
    session = { stack: running, page, consoleErrors };
    return session;
  };
}
