// `npm run screenshots`: the main pages as PNGs under docs/screenshots/ (shown in the README), taken
// from a running service holding the fixture workspace and a few real mails. Skipped unless SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { HAVE_CHROMIUM, launchBrowser } from './support/browser.js';
import { PASSWORDS, signIn, startUiService, textAt, type UiService } from './support/ui-service.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describe.skipIf(process.env.SCREENSHOTS !== '1' || !HAVE_CHROMIUM)('screenshots', () => {
  let ui: UiService;
  let browser: Browser;
  let touchpoint = '';
  let failed = '';

  beforeAll(async () => {
    [ui, browser] = await Promise.all([startUiService(), launchBrowser()]);
    for (const name of ['forward-gmail.eml', 'note-subject.eml', 'cc-two-customers.eml', 'auto-reply.eml'])
      await ui.ingestFixture(name);
    touchpoint = textAt(await ui.ingestFixture('html-only.eml'), 'touchpointId');
    await ui.ingestFixture('bcc-plain.eml');
    failed = textAt(await ui.ingestFixture('ambiguous-parent-child.eml'), 'inboundId');
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
  });

  it('takes the main pages on a laptop and a phone', async () => {
    const shots: [string, string, string | null][] = [
      ['accounts', 'accounts', null],
      ['account-timeline', 'accounts/globex', null],
      ['people', 'people?q=globex', null],
      ['touchpoint', `touchpoints/${touchpoint}`, 'Formatted'],
      ['inbound-log', 'inbound', null],
      ['inbound-assign', `inbound/${failed}`, null],
      ['settings', 'settings', null],
      ['team', 'team', null],
    ];
    for (const [viewport, suffix] of [
      [{ width: 1280, height: 860 }, ''],
      [{ width: 390, height: 844 }, '-phone'],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${ui.url}/`);
      await page.getByRole('heading', { name: 'Touchmail' }).waitFor();
      if (suffix === '') await page.screenshot({ path: `${OUT}sign-in.png` });
      await signIn(page, ui.url, PASSWORDS.admin);
      for (const [name, route, click] of shots) {
        if (suffix !== '' && !['account-timeline', 'touchpoint'].includes(name)) continue;
        await page.goto(`${ui.url}/#/${route}`);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        if (click !== null) await page.getByRole('button', { name: click }).click();
        await page.waitForTimeout(400);
        // Neither the focus ring nor the status message of the moment belong in the picture.
        await page.evaluate(
          `document.activeElement.blur(); document.querySelector('.status').textContent = ''`,
        );
        await page.screenshot({ path: `${OUT}${name}${suffix}.png`, fullPage: suffix === '' });
      }
      await context.close();
    }
  });
});
