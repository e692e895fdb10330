// A real service (HTTP + worker, test/support/service.ts) on a fresh SQLite store with the fixture
// workspace `acme`, web passwords for its admin (jill) and member (sam), and the helpers the UI suites
// share: ingest a message over the HTTP intake, read the API as the admin, sign in through the page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { setLoginPassword } from '../../../src/app/login-users.js';
import { startTestService, type TestService } from '../../support/service.js';
import { readFixture, TOUCHPOINT_ADDRESS } from '../../support/workspace.js';
import { collectPageErrors, launchBrowser } from './browser.js';

export const PASSWORDS = {
  admin: { email: 'jill@acme.com', password: 'correct horse battery staple' },
  member: { email: 'sam@acme.com', password: 'member password 12345' },
} as const;

export interface UiService {
  readonly url: string;
  readonly test: TestService;
  /** Ingests a raw message over the HTTP intake as the admin token; answers the outcome. */
  ingest(raw: Buffer | string): Promise<unknown>;
  ingestFixture(name: string): Promise<unknown>;
  /** Calls the API with the admin token. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export async function startUiService(): Promise<UiService> {
  const test = await startTestService({}, { roles: ['worker', 'api'] });
  const acting = { actor: 'test', now: new Date() };
  for (const login of Object.values(PASSWORDS)) {
    const done = await setLoginPassword(test.store, 'acme', login.email, login.password, acting);
    if (!done.ok) throw new Error(`password for ${login.email}: ${JSON.stringify(done)}`);
  }
  const adminToken = test.config.adminToken ?? '';
  const ingest = async (raw: Buffer | string) => {
    const response = await fetch(
      `${test.httpUrl}/api/v1/workspaces/acme/inbound?rcpt=${encodeURIComponent(TOUCHPOINT_ADDRESS)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'message/rfc822' },
        body: typeof raw === 'string' ? raw : new Uint8Array(raw),
      },
    );
    if (response.status !== 200)
      throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    return (await response.json()) satisfies unknown;
  };
  return {
    url: test.httpUrl,
    test,
    ingest,
    ingestFixture: (name) => ingest(readFixture(name)),
    api: async (method, path, body) => {
      const response = await fetch(`${test.httpUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const json: unknown = text === '' ? null : JSON.parse(text);
      return { status: response.status, json };
    },
    stop: () => test.stop(),
  };
}

/** A page in a browser context of its own (signed out, nothing shared), its script errors collected. */
export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

export interface UiSuite {
  readonly ui: UiService;
  readonly browser: Browser;
  open(viewport?: { width: number; height: number }): Promise<OpenedPage>;
}

/**
 * What a UI suite runs against: the service and Chromium, started before the suite's tests (and before
 * the suite's own `beforeAll` hooks, which may use them) and stopped after them. `clipboard` lets the
 * pages read and write the clipboard (copy buttons).
 */
export function uiSuite(options: { readonly clipboard?: boolean } = {}): UiSuite {
  let started: { readonly ui: UiService; readonly browser: Browser } | null = null;
  beforeAll(async () => {
    const [ui, browser] = await Promise.all([startUiService(), launchBrowser()]);
    started = { ui, browser };
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.ui.stop();
  });
  const get = () => {
    if (started === null) throw new Error('the UI suite has not started');
    return started;
  };
  return {
    get ui() {
      return get().ui;
    },
    get browser() {
      return get().browser;
    },
    async open(viewport = { width: 1280, height: 900 }) {
      const { ui, browser } = get();
      const context = await browser.newContext({ viewport });
      if (options.clipboard === true)
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.url });
      const page = await context.newPage();
      return { context, page, errors: collectPageErrors(page) };
    },
  };
}

/** Signs in through the sign-in page and waits for the accounts page. */
export async function signIn(
  page: Page,
  url: string,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto(`${url}/#/accounts`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
}

/** `value.a.b…` of parsed JSON, or undefined. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

/** `at(…)` as a string; fails the test when it is not one. */
export function textAt(value: unknown, ...path: readonly (string | number)[]): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw new Error(`no string at ${path.join('.')}: ${JSON.stringify(value)}`);
  return found;
}
