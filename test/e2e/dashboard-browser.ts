// Signing in to the dashboard in headless Chromium, for the dashboard's browser tests: the stand-in's
// authorize page (Discord's site, not the Worker), picking who signs in there, and a dashboard tab
// of its own beside the sandbox's (the same browser profile, so the same cookies) that collects what
// it logs as errors. Every dashboard browser test signs in through these.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { E2eStack } from './support.ts';

/** The stand-in's authorize page. */
export const authorizeUrl = (stack: E2eStack) =>
  `${new URL(stack.dev.discordApiBase).origin}/oauth2/authorize`;

export async function expectAuthorizePage(page: Page, stack: E2eStack): Promise<void> {
  await page.locator('h1', { hasText: 'Authorize access to your account' }).waitFor();
  expect(page.url().startsWith(authorizeUrl(stack)), page.url()).toBe(true);
}

/** From the authorize page: signs in as `userId` and waits for the Worker's /dashboard. */
export async function signInAs(page: Page, stack: E2eStack, userId: string): Promise<void> {
  await expectAuthorizePage(page, stack);
  await Promise.all([
    page.waitForURL(`${stack.dev.workerUrl}/dashboard`),
    page.locator(`button[name="user_id"][value="${userId}"]`).click(),
  ]);
}

/** A new tab in `beside`'s browser profile, and the errors it logs or throws (a CSP refusal shows here). */
export async function openDashboardTab(beside: Page): Promise<{ tab: Page; errors: string[] }> {
  const tab = await beside.context().newPage();
  const errors: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  tab.on('pageerror', (error) => errors.push(error.message));
  return { tab, errors };
}

/** Opens /dashboard in `tab` and signs in as `userId` through the stand-in. */
export async function signInToDashboard(tab: Page, stack: E2eStack, userId: string): Promise<void> {
  await tab.goto(`${stack.dev.workerUrl}/dashboard`);
  await signInAs(tab, stack, userId);
}
