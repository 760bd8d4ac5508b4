// Headless Chromium for the sandbox's browser tests: Debian's package driven by playwright-core
// (which downloads no browser of its own), one throwaway profile per test file, and the wait for a
// locator's text that every browser test uses.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator } from 'playwright-core';
import { eventually } from './support.ts';

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
