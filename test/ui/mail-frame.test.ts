// The mail frame's own cleaning, run in Chromium on the module the UI ships (web/src/mail-frame.ts):
// what reaches the sandboxed frame carries no script, handler or script URL, and loads nothing remote
// until the viewer allows https: images. (xss.test.ts checks the whole page end to end.)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';
import { describeUi, launchBrowser } from './support/browser.js';
import { hostileHtml, HTTPS_IMAGE } from './support/hostile-html.js';

const ATTACKER = 'http://127.0.0.1:9';

describeUi('mail frame cleaning', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService({}, { roles: ['api'] }), launchBrowser()]);
    page = await browser.newPage();
    await page.goto(`${service.httpUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  /** Calls an export of the shipped mail-frame module in the page (same origin, so the page's CSP allows it). */
  async function frameModule(call: string, ...args: readonly unknown[]): Promise<unknown> {
    const script = await page.evaluate(`document.querySelector('script[type=module]').src`);
    const module = String(script).replace(/main\.js$/, 'mail-frame.js');
    return page.evaluate(
      `import(${JSON.stringify(module)}).then((m) => m.${call}(...${JSON.stringify(args)}))`,
    );
  }

  async function cleaned(html: string, showRemote: boolean): Promise<{ html: string; remoteImages: number }> {
    const result = await frameModule('cleanMail', html, showRemote);
    const text: unknown = Reflect.get(Object(result), 'html');
    const count: unknown = Reflect.get(Object(result), 'remoteImages');
    return { html: String(text), remoteImages: Number(count) };
  }

  it('leaves no script, handler, script URL, frame, form or remote load in hostile HTML', async () => {
    const { html, remoteImages } = await cleaned(hostileHtml(ATTACKER), false);
    expect(html).toContain('Dear customer');
    expect(html).not.toMatch(
      /<(script|iframe|object|embed|form|base|meta|link|svg|math|video|audio|input)\b/i,
    );
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:|data:text|expression\(|@import|srcset=|background=/i);
    // The only trace of the attacker left is a plain link the viewer may choose to open in a new tab.
    const mentions = html.match(new RegExp(`${ATTACKER}[^"'\\s)]*`, 'g')) ?? [];
    expect(mentions).toEqual([`${ATTACKER}/ping-target`]);
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).not.toContain(HTTPS_IMAGE);
    expect(remoteImages).toBe(2);
  });

  it('shows https: images only once allowed, never http: ones', async () => {
    const { html } = await cleaned(hostileHtml(ATTACKER), true);
    expect(html).toContain(`src="${HTTPS_IMAGE}"`);
    expect(html).not.toContain(`${ATTACKER}/http-image.png`);
    expect(html).toContain('image: insecure tracker');
    expect(html).toContain('image: srcset');
  });

  it('puts the frame policy first, before any of the mail', async () => {
    const blocked = String(await frameModule('frameDocument', '<p>x</p>', false));
    const policy = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'`;
    expect(blocked.indexOf(policy)).toBeGreaterThan(0);
    expect(blocked.indexOf(policy)).toBeLessThan(blocked.indexOf('<p>x</p>'));
    const allowed = String(await frameModule('frameDocument', '<p>x</p>', true));
    expect(allowed).toContain('img-src data: https:;');
  });

  it.each([
    ['color: red', false, 'color: red'],
    [`background: url(${ATTACKER}/a.png)`, false, 'background: none'],
    [`background: url("https://cdn.example/a.png")`, false, 'background: none'],
    [`background: url("https://cdn.example/a.png")`, true, 'background: url("https://cdn.example/a.png")'],
    ['background: url(data:image/png;base64,AAAA)', false, 'background: url(data:image/png;base64,AAAA)'],
    [`@import url(${ATTACKER}/x.css); p { color: red }`, false, ' p { color: red }'],
    ['background: \\75 rl(http://x/)', false, ''],
    ['width: expression(alert(1))', false, ''],
  ])('cleans the style %j (remote allowed: %s)', async (css, showRemote, expected) => {
    expect(await frameModule('cleanCss', css, showRemote)).toBe(expected);
  });
});
