// Hostile HTML mails in the touchpoint view: nothing they carry runs as script, and nothing reaches the
// network, whether the server's sanitizer cleaned them (the real pipeline) or not (the stored HTML
// replaced by the raw payload, as if it had missed everything). After "Show remote images" only https:
// images are requested, never the http: listener.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAttacker, type Attacker } from './support/attacker.js';
import { describeUi, launchBrowser } from './support/browser.js';
import { hostileHtml, hostileMail, HTTPS_IMAGE } from './support/hostile-html.js';
import { PASSWORDS, signIn, startUiService, textAt, type UiService } from './support/ui-service.js';

describeUi('hostile HTML mail in the touchpoint view', () => {
  let ui: UiService;
  let browser: Browser;
  let attacker: Attacker;
  const ids: { name: string; id: string }[] = [];

  beforeAll(async () => {
    [ui, browser, attacker] = await Promise.all([startUiService(), launchBrowser(), startAttacker()]);
    const html = hostileHtml(attacker.url);
    const sanitized = await ui.ingest(hostileMail('xss-sanitized', html));
    ids.push({ name: 'sanitized by the server', id: textAt(sanitized, 'touchpointId') });
    const raw = await ui.ingest(hostileMail('xss-raw', '<p>placeholder</p>'));
    const rawId = textAt(raw, 'touchpointId');
    // As if the server's sanitizer had let everything through: the frame alone must hold.
    await ui.test.store.db
      .updateTable('touchpoints')
      .set({ content_html: html })
      .where('id', '=', rawId)
      .execute();
    ids.push({ name: 'raw, unsanitized', id: rawId });
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await attacker?.close();
  });

  interface Watch {
    readonly beacons: string[];
    readonly dialogs: string[];
    readonly popups: string[];
    readonly requests: Request[];
  }

  async function watched(context: BrowserContext): Promise<{ page: Page; watch: Watch }> {
    const watch: Watch = { beacons: [], dialogs: [], popups: [], requests: [] };
    // A binding in every frame: a payload that runs calls it (its own frame's global, no top access needed).
    await context.exposeBinding(
      'xssBeacon',
      (_source, name: unknown) => void watch.beacons.push(String(name)),
    );
    context.on('request', (request) => watch.requests.push(request));
    const page = await context.newPage();
    // Any page after this one is a popup a mail opened.
    context.on('page', (popup) => watch.popups.push(popup.url()));
    page.on('dialog', (dialog) => {
      watch.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return { page, watch };
  }

  const remote = (watch: Watch) =>
    watch.requests.filter((r) => !r.url().startsWith(ui.url) && !r.url().startsWith('data:'));

  for (const kind of ['sanitized by the server', 'raw, unsanitized']) {
    it(`runs nothing and loads nothing remote: ${kind}`, async () => {
      const target = ids.find((i) => i.name === kind);
      expect(target).toBeDefined();
      const context = await browser.newContext();
      try {
        const { page, watch } = await watched(context);
        await signIn(page, ui.url, PASSWORDS.admin);
        await page.goto(`${ui.url}/#/touchpoints/${encodeURIComponent(target?.id ?? '')}`);
        // The hostile subject is shown as text.
        await page.getByRole('heading', { level: 1, name: /onerror=xssBeacon\('subject'\)/ }).waitFor();
        await page.getByRole('button', { name: 'Formatted' }).click();
        const frame = page.frameLocator('iframe.mail-frame');
        await frame.getByText('Dear customer').waitFor();
        const frameElement = page.locator('iframe.mail-frame');
        expect(await frameElement.getAttribute('sandbox')).toBe(
          'allow-popups allow-popups-to-escape-sandbox',
        );
        // Click what a viewer might click: the script-URL links do nothing.
        for (const name of ['js link', 'js link 2', 'data link'])
          await frame.getByText(name, { exact: true }).click({ timeout: 2000 });
        await page.waitForTimeout(1000);

        expect(watch.beacons).toEqual([]);
        expect(watch.dialogs).toEqual([]);
        expect(watch.popups).toEqual([]);
        expect(attacker.hits).toEqual([]);
        expect(remote(watch).map((r) => r.url())).toEqual([]);
        expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
        expect(page.url()).toContain('#/touchpoints/');

        // Remote images on request: https: images only, in that frame only; the http: listener never hears.
        await page.getByRole('button', { name: 'Show remote images' }).click();
        await page.getByText('Remote images shown').waitFor();
        await page.waitForTimeout(1500);
        const after = remote(watch);
        for (const request of after) {
          expect(request.url()).toBe(HTTPS_IMAGE);
          expect(request.resourceType()).toBe('image');
        }
        // The raw payload keeps its https: image, so the viewer's choice is seen to take effect.
        if (kind.startsWith('raw')) expect(after.length).toBeGreaterThan(0);
        expect(watch.beacons).toEqual([]);
        expect(attacker.hits).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
