// The accounts table and the account page in Chromium against a running service (issue 20, SPEC §13):
// sorted by last touch both ways, filtered to the accounts not touched in 30 days, exported as CSV
// exactly as shown; the account page shows its health and timeline before its people, the admin's
// "Add a person" folded until asked for, on a desktop and a phone.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeUi, namelessControls, overflowsSideways, unlabelledControls } from './support/browser.js';
import { PASSWORDS, signIn, uiSuite } from './support/ui-service.js';

const DAY = 86_400_000;

describeUi('web UI: accounts at a glance', () => {
  const suite = uiSuite();

  beforeAll(async () => {
    // History relative to the service's real clock: globex 3 days ago, initech 20, umbrella 45.
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const touch = (accountId: string, authorEmail: string, days: number) => ({
      accountId,
      authorEmail,
      occurredAt: ago(days),
      subject: `Call ${accountId}`,
    });
    const imported = await suite.ui.api('POST', '/import', {
      workspace: { id: 'acme' },
      touchpoints: [
        touch('globex', 'jill@acme.com', 3),
        touch('initech', 'sam@acme.com', 20),
        touch('umbrella', 'sam@acme.com', 45),
      ],
    });
    expect(imported.status).toBe(200);
  });

  const rowNames = (page: Page) => page.locator('tr.account-row th').allTextContents();
  const never = ['Dragon Foods', 'Globex Europe', 'Nippon Trading', 'Volga Logistics'];

  it('sorts by last touch both ways, filters the cold accounts and exports what it shows', async () => {
    const { context, page, errors } = await suite.open();
    try {
      await signIn(page, suite.ui.url, PASSWORDS.member);
      await page.getByRole('table', { name: 'Accounts' }).waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
      expect(await namelessControls(page)).toEqual([]);

      await page.getByRole('button', { name: 'Sort by last touch' }).click();
      // Coldest first: never touched (by name), then the oldest touch.
      await expect.poll(() => rowNames(page)).toEqual([...never, 'Umbrella', 'Initech', 'Globex']);
      const globex = page.locator('tr.account-row').filter({ hasText: 'Globex' }).last();
      expect(await globex.locator('.last-touch').textContent()).toMatch(/3 days ago · jill@acme\.com/);
      expect(await globex.locator('td.num').allTextContents()).toEqual(['1', '2']);

      await page.getByRole('button', { name: 'Sort by last touch' }).click();
      await expect.poll(() => rowNames(page)).toEqual(['Globex', 'Initech', 'Umbrella', ...never]);
      expect(await page.locator('th[aria-sort="descending"]').textContent()).toBe('Last touch');

      await page.getByLabel('Not touched since').selectOption('30');
      await expect.poll(() => rowNames(page)).toEqual(['Umbrella', ...never]);
      expect(page.url()).toMatch(/days=30/);
      expect(await page.locator('tr.account-row').count()).toBe(5);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const path = await download.path();
      const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'id,name,parentId,lastTouchAt,lastTouchBy,daysSinceLastTouch,touchpoints30d,touchpoints90d',
      );
      expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(await rowNames(page));
      expect(lines.find((l) => l.startsWith('umbrella,'))).toMatch(/,sam@acme\.com,45,0,1$/);

      // A reload shows the same view, from the address.
      await page.reload();
      await expect.poll(() => rowNames(page)).toEqual(['Umbrella', ...never]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('opens an account on its health and timeline; people come after and adding one is folded', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const { context, page, errors } = await suite.open(viewport);
      try {
        await signIn(page, suite.ui.url, PASSWORDS.admin);
        await page.goto(`${suite.ui.url}/#/accounts/globex`);
        await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
        const health = page.getByRole('definition').first();
        await health.waitFor();
        expect(await page.locator('dl.health').textContent()).toMatch(
          /Last touch.*3 days ago.*by jill@acme\.com.*Last 30 days1 touchpoint.*Last 90 days2 touchpoints/,
        );
        const top = async (name: string) =>
          (await page.getByRole('heading', { level: 2, name, exact: true }).boundingBox())?.y ?? Infinity;
        // The timeline is first: above the people, within the first screen.
        expect(await top('Timeline')).toBeLessThan(await top('People'));
        // On a phone the columns stack: the attributes come after the timeline too.
        if (viewport.width < 760) expect(await top('Timeline')).toBeLessThan(await top('Attributes'));
        expect(await top('Timeline')).toBeLessThan(viewport.height);
        expect(await page.getByRole('form', { name: 'Add a person' }).isVisible()).toBe(false);
        await page.locator('summary', { hasText: 'Add a person' }).click();
        expect(await page.getByRole('form', { name: 'Add a person' }).isVisible()).toBe(true);
        expect(await overflowsSideways(page)).toBe(false);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
