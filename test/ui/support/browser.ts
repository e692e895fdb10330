// Debian's Chromium driven by playwright-core (never a downloaded browser). Locally the UI suites say
// so and skip when /usr/bin/chromium is absent; under CI=1 a missing browser is a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

if (!HAVE_CHROMIUM && process.env.CI !== undefined)
  throw new Error(
    `CI must provide ${CHROMIUM} (apt-get install chromium): the UI suites may not be skipped there`,
  );
if (!HAVE_CHROMIUM) process.stderr.write(`${CHROMIUM} is missing: the UI suites are skipped on this run\n`);

/** `describe` when Chromium is here, `describe.skip` otherwise. */
export const describeUi = HAVE_CHROMIUM ? describe : describe.skip;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // Tests run as root in containers, where Chromium's own sandbox cannot start.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Fails the test on any uncaught error of the page's scripts. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

// Scripts run in the page are strings: the test project has no DOM types (the server code must not).
const UNLABELLED = `[...document.querySelectorAll('input, select, textarea')]
  .filter((c) => c.type !== 'hidden' && c.getClientRects().length > 0)
  .filter((c) => (c.labels === null || c.labels.length === 0)
    && (c.getAttribute('aria-label') ?? '') === '' && (c.getAttribute('aria-labelledby') ?? '') === '')
  .map((c) => c.outerHTML.slice(0, 120))`;

const NAMELESS = `[...document.querySelectorAll('button, a[href]')]
  .filter((c) => c.getClientRects().length > 0)
  .filter((c) => (c.textContent ?? '').trim() === '' && (c.getAttribute('aria-label') ?? '') === '')
  .map((c) => c.outerHTML.slice(0, 120))`;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [`not a list: ${String(value)}`];
}

/** Every visible form control that has no accessible label (label element, aria-label or -labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return strings(await page.evaluate(UNLABELLED));
}

/** Buttons and links with no text a screen reader could say. */
export async function namelessControls(page: Page): Promise<string[]> {
  return strings(await page.evaluate(NAMELESS));
}

/** Whether the page scrolls sideways (unreadable on a phone). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1')) === true;
}
