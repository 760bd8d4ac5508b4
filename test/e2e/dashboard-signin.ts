// Signing in to the dashboard in the browser tests, as a person does: the Worker's /dashboard →
// /dashboard/login → the stand-in's authorize page (Discord's own site, not the Worker) → the
// sandbox user picked → back on the Worker's /dashboard with the session cookie.
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
export async function pickOnAuthorizePage(page: Page, stack: E2eStack, userId: string): Promise<void> {
  await expectAuthorizePage(page, stack);
  await Promise.all([
    page.waitForURL(`${stack.dev.workerUrl}/dashboard`),
    page.locator(`button[name="user_id"][value="${userId}"]`).click(),
  ]);
}

/** Opens /dashboard signed out and signs in as `userId`; the page is then the server picker. */
export async function signInToDashboard(page: Page, stack: E2eStack, userId: string): Promise<void> {
  await page.goto(`${stack.dev.workerUrl}/dashboard`);
  await pickOnAuthorizePage(page, stack, userId);
}
