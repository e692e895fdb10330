// The web UI end to end against a running service, in Chromium: sign in, find an account and open its
// timeline, open a touchpoint, edit it with a notify choice, assign a failed inbound message, change a
// setting as an admin and be refused as a member; each page has labelled controls, reads on a phone
// without sideways scrolling, and loads under 200 KB of script.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeUi, namelessControls, overflowsSideways, unlabelledControls } from './support/browser.js';
import { afterFailedProcessing } from '../../src/app/process-inbound.js';
import { getInbound, insertInbound } from '../../src/store/inbound-repository.js';
import { fixedDependencies, readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';
import { at, PASSWORDS, signIn, textAt, uiSuite } from './support/ui-service.js';

const SCRIPT_BUDGET_BYTES = 200 * 1024;

describeUi('web UI', () => {
  const suite = uiSuite();
  let bccTouchpoint = '';

  beforeAll(async () => {
    bccTouchpoint = textAt(await suite.ui.ingestFixture('bcc-plain.eml'), 'touchpointId');
  });

  /** A page that also counts the bytes of script it loads. */
  async function open(viewport?: { width: number; height: number }) {
    const { context, page, errors } = await suite.open(viewport);
    let scriptBytes = 0;
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        void response.body().then(
          (body) => (scriptBytes += body.byteLength),
          () => undefined,
        );
    });
    return { context, page, errors, scriptBytes: () => scriptBytes };
  }

  async function checkPage(page: Page): Promise<void> {
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await namelessControls(page)).toEqual([]);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('nav').count()).toBeGreaterThan(0);
  }

  it('signs in, finds an account, opens its timeline and a touchpoint with its participants and trace', async () => {
    const { context, page, errors, scriptBytes } = await open();
    try {
      await page.goto(`${suite.ui.url}/`);
      await page.getByRole('heading', { name: 'Touchmail' }).waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
      await page.getByLabel('Email').fill(PASSWORDS.admin.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong/i);
      await page.getByLabel('Password').fill(PASSWORDS.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
      await checkPage(page);

      await page.getByLabel('Search accounts').fill('glob');
      await page.getByRole('link', { name: 'Globex Europe' }).waitFor();
      await expect.poll(() => page.locator('tr.account-row').count()).toBe(2);
      await page.getByRole('link', { name: 'Globex', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
      const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
      await timeline.getByRole('link', { name: 'Renewal next steps' }).waitFor();
      // Newest first: the recorded mail (Nov 19) before the imported kick-off (Nov 2).
      const subjects = await timeline.locator('h3').allTextContents();
      expect(subjects).toEqual(['Renewal next steps', 'Kick-off']);
      await checkPage(page);

      await timeline.getByRole('link', { name: 'Renewal next steps' }).click();
      await page.getByRole('heading', { level: 1, name: 'Renewal next steps' }).waitFor();
      const people = page.locator('.participants');
      await expect
        .poll(() => people.locator('.people-external li').allTextContents())
        .toEqual(['External Bob Stone <bob@globex.com>']);
      expect(await people.locator('.people-internal li').allTextContents()).toEqual([
        'Internal Jill Hart <jill@acme.com>',
      ]);
      // SPEC §9: the sync state is shown; with the sync off, "Sync again" says why it cannot.
      await page.getByText('not synced (the sync was off)').waitFor();
      await page.getByRole('button', { name: 'Sync again' }).click();
      await page.getByText(/sync of this workspace is off/).waitFor();
      await page.getByText('Why this account?').click();
      expect(await page.locator('ol.trace li').count()).toBeGreaterThan(2);
      await checkPage(page);
      expect(scriptBytes()).toBeGreaterThan(0);
      expect(scriptBytes()).toBeLessThan(SCRIPT_BUDGET_BYTES);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('downloads a touchpoint’s attachment by its name, read out of the stored message', async () => {
    const withFile = textAt(await suite.ui.ingestFixture('rfc2231-attachment.eml'), 'touchpointId');
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await page.goto(`${suite.ui.url}/#/touchpoints/${withFile}`);
      const link = page.getByRole('link', { name: 'Angebot für Globex.pdf' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe('Angebot für Globex.pdf');
      const path = await download.path();
      expect(readFileSync(path, 'latin1')).toBe('%PDF-1.4\n% fake pdf for tests\n');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a wrong password in words, then signs in; keeps the session across a reload and ends it at sign-out', async () => {
    const { context, page, errors } = await open();
    try {
      await page.goto(`${suite.ui.url}/#/accounts`);
      await page.getByLabel('Email').fill(PASSWORDS.member.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
      // The password is selected, to be typed again; the button works again.
      expect(await page.evaluate('document.activeElement.name')).toBe('password');
      expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const status = await page.evaluate(`fetch('/api/v1/session').then((r) => r.status)`);
      expect(status).toBe(401);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('edits a touchpoint: the notify choice appears once participants are added, and is recorded', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/touchpoints/${bccTouchpoint}/edit`);
      await page.getByRole('heading', { level: 1, name: 'Edit touchpoint' }).waitFor();
      await checkPage(page);
      const notify = page.getByRole('group', { name: 'Notify about this change' });
      await page.getByLabel('Subject').fill('Renewal: next steps agreed');
      expect(await notify.isVisible()).toBe(false);
      await page.getByLabel('Email', { exact: true }).fill('eva@globex.com');
      await page.getByLabel('Name', { exact: true }).fill('Eva Lind');
      await page.getByRole('button', { name: 'Add participant' }).click();
      await notify.waitFor();
      await notify.getByLabel('All participants').check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('heading', { level: 1, name: 'Renewal: next steps agreed' }).waitFor();
      await page.getByText('notified: all participants').waitFor();
      await expect.poll(() => page.locator('.people-external li').count()).toBe(2);
      const edits = await suite.ui.api('GET', `/workspaces/acme/touchpoints/${bccTouchpoint}/edits`);
      expect(at(edits.json, 'items', 0, 'notify')).toBe('all');
      expect(at(edits.json, 'items', 0, 'editor')).toBe('jill@acme.com');
      // The choice reaches the outbox: a notice for this edit is queued (SPEC §7).
      const editId = textAt(edits.json, 'items', 0, 'id');
      const outbox = await suite.ui.api('GET', '/workspaces/acme/outbox?kind=notice');
      const items = at(outbox.json, 'items');
      const keys = Array.isArray(items) ? items.map((item: unknown) => at(item, 'key')) : [];
      expect(keys).toContain(`notice:edit:${editId}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('assigns a failed inbound message to one of its candidate accounts', async () => {
    const failed = await suite.ui.ingestFixture('ambiguous-parent-child.eml');
    expect(at(failed, 'status')).toBe('failed');
    const inboundId = textAt(failed, 'inboundId');
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.getByRole('link', { name: 'Inbound log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inbound log' }).waitFor();
      await page.getByLabel('Status').selectOption('failed');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('.log-entry').count()).toBe(1);
      await checkPage(page);
      await page.getByRole('link', { name: 'Pricing' }).click();
      await page.getByRole('heading', { level: 1, name: 'Pricing' }).waitFor();
      expect(page.url()).toContain(`#/inbound/${inboundId}`);
      await checkPage(page);
      const candidates = page.getByRole('radiogroup', { name: 'Matching accounts' });
      expect(await candidates.getByRole('radio').count()).toBe(2);
      await page.getByRole('button', { name: 'Assign to this account' }).click();
      await page.getByRole('alert').filter({ hasText: 'Choose an account first.' }).waitFor();
      await candidates.getByLabel(/Globex Europe/).check();
      await page.getByRole('button', { name: 'Assign to this account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Pricing' }).and(page.locator('h1')).waitFor();
      await expect.poll(() => page.url()).toContain('#/touchpoints/');
      await page.getByRole('link', { name: 'Globex Europe' }).first().waitFor();
      const after = await suite.ui.api('GET', `/workspaces/acme/inbound/${inboundId}`);
      expect(at(after.json, 'status')).toBe('recorded');
      expect(at(after.json, 'accountId')).toBe('globex-eu');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offers to run again a message Touchmail could not process, and records it once it can', async () => {
    // A message whose processing failed twice the same way, through the real policy (SPEC §10).
    const store = suite.ui.test.store;
    const deps = { ...fixedDependencies(store), now: () => new Date() };
    await insertInbound(store.db, {
      id: 'in-unprocessable',
      workspaceId: 'acme',
      receivedAt: new Date(),
      channel: 'smtp',
      raw: Buffer.from(
        readFixture('bcc-plain.eml')
          .toString('utf8')
          .replace('<bcc-plain@mail.acme.com>', '<unprocessable@mail.acme.com>'),
      ),
      sha256: 'unprocessable',
      mailFrom: 'jill@acme.com',
      rcptTo: [TOUCHPOINT_ADDRESS],
      lease: { owner: 'ui-test', until: new Date(Date.now() + 600_000) },
    });
    const bug = () => new TypeError("Cannot read properties of undefined (reading 'trim')");
    for (let i = 0; i < 2; i++) {
      const row = await getInbound(store.db, 'acme', 'in-unprocessable');
      if (row === null) throw new Error('no row');
      await afterFailedProcessing(deps, row, bug());
    }
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      await page.goto(`${suite.ui.url}/#/inbound/in-unprocessable`);
      await page.getByRole('heading', { name: 'Touchmail could not process this message' }).waitFor();
      await checkPage(page);
      expect(await page.getByRole('button', { name: 'Assign to this account' }).count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Cannot read properties of undefined');
      await page.getByRole('button', { name: 'Run it again' }).click();
      await expect.poll(() => page.url()).toContain('#/touchpoints/');
      const after = await suite.ui.api('GET', '/workspaces/acme/inbound/in-unprocessable');
      expect(at(after.json, 'status')).toBe('recorded');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an admin change a setting and the Default BCC attribute; a member is refused', async () => {
    const admin = await open();
    try {
      await signIn(admin.page, suite.ui.url, PASSWORDS.admin);
      await admin.page.getByRole('link', { name: 'Settings' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await checkPage(admin.page);
      await admin.page.getByRole('button', { name: 'Copy touchpoints@acme.example' }).waitFor();
      await admin.page.getByLabel('Default touchpoint reason').fill('Renewal');
      // Mail without a client IP (IMAP, webhooks, the CLI) can meet the policy only in some ways: said by the policy.
      await admin.page.getByRole('note').filter({ hasText: 'DMARC cannot be judged' }).waitFor();
      await admin.page.getByLabel('Strict').check();
      await admin.page
        .getByRole('note')
        .filter({ hasText: 'IMAP, webhooks or the CLI has no client IP' })
        .filter({ hasText: 'Strict refuses it' })
        .waitFor();
      await admin.page.getByRole('button', { name: 'Save settings' }).click();
      await admin.page.getByText('Saved.').first().waitFor();
      await admin.page.getByRole('button', { name: 'Save Salesforce connection' }).click();
      await admin.page.getByText('Saved. Test the connection to check it.').waitFor();
      const settings = await suite.ui.api('GET', '/workspaces/acme/settings');
      expect(at(settings.json, 'defaultReason')).toBe('Renewal');
      expect(at(settings.json, 'senderAuthPolicy')).toBe('strict');

      await admin.page.goto(`${suite.ui.url}/#/accounts/initech`);
      await admin.page.getByLabel('Touchpoint Default BCC Email').check();
      await admin.page.getByText('Saved.').waitFor();
      const initech = await suite.ui.api('GET', '/workspaces/acme/accounts/initech');
      expect(at(initech.json, 'attributes', 'touchpointDefaultBccEmail')).toBe(true);
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.context.close();
    }

    const member = await open();
    try {
      await signIn(member.page, suite.ui.url, PASSWORDS.member);
      await member.page.getByRole('link', { name: 'Settings' }).click();
      await member.page.getByRole('heading', { name: 'Settings are for admins' }).waitFor();
      expect(await member.page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
      await member.page.goto(`${suite.ui.url}/#/accounts/initech`);
      await member.page.getByRole('heading', { level: 1, name: 'Initech' }).waitFor();
      expect(await member.page.getByLabel('Touchpoint Default BCC Email').count()).toBe(0);
      // The API refuses the member too, whatever the page shows.
      const refused = await member.page.evaluate(
        `fetch('/api/v1/workspaces/acme/settings').then((r) => r.status)`,
      );
      expect(refused).toBe(403);
      expect(member.errors).toEqual([]);
    } finally {
      await member.context.close();
    }
  });

  it('reads on a phone: no page scrolls sideways', async () => {
    const { context, page, errors } = await open({ width: 390, height: 844 });
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      for (const route of [
        'accounts',
        'accounts/globex',
        `touchpoints/${bccTouchpoint}`,
        'inbound',
        'settings',
      ]) {
        await page.goto(`${suite.ui.url}/#/${route}`);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await overflowsSideways(page), route).toBe(false);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('moves through the frame by keyboard: skip link, then brand and navigation, focus visible', async () => {
    const { context, page } = await open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.admin);
      const first = await page.evaluate(`document.querySelector('a[href], button, input').textContent`);
      expect(first).toBe('Skip to content');
      await page.locator('.skip').focus();
      const order: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate('document.activeElement.textContent.trim()'));
      }
      expect(order).toEqual(['✉ Touchmail', 'Accounts', 'People', 'Inbound log', 'Settings', 'Team']);
      expect(await page.evaluate('getComputedStyle(document.activeElement).boxShadow')).not.toBe('none');
      await page.locator('.skip').focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
    } finally {
      await context.close();
    }
  });
});
