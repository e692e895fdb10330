// The UI as the server serves it (no browser): the page and its assets carry strict security headers,
// assets are versioned by content and cached for a year, and the whole UI stays under 200 KB of script.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_UI_FILES } from '../../src/http/web-ui.js';
import { openApi, type ApiFixture } from '../support/api.js';

const SCRIPT_BUDGET_BYTES = 200 * 1024;

describe('web UI serving', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(() => api.close());

  async function page() {
    const response = await api.app.inject({ method: 'GET', url: '/' });
    const assets = [...response.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    return { response, assets };
  }

  it('serves the page at / with a strict policy: scripts from our own files only, never inline', async () => {
    const { response } = await page();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-cache');
    // No inline script or handler in the page itself: the policy would block it anyway.
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.body).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves assets under a content version, cached for a year, with the same headers', async () => {
    const { assets } = await page();
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const url of assets) {
      const response = await api.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    const script = assets.find((a) => a.endsWith('/main.js')) ?? '';
    const js = await api.app.inject({ method: 'GET', url: script });
    expect(js.headers['content-type']).toMatch(/javascript/);
    // An old or made-up version is not served (a new build is a new URL).
    const stale = await api.app.inject({
      method: 'GET',
      url: script.replace(/\/assets\/[^/]+\//, '/assets/0000000000000000/'),
    });
    expect(stale.statusCode).toBe(404);
    const escape = await api.app.inject({
      method: 'GET',
      url: script.replace('main.js', '..%2f..%2fpackage.json'),
    });
    expect(escape.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('keeps the whole UI under 200 KB of script, so no page can load more', () => {
    const files = readdirSync(WEB_UI_FILES.scripts, { recursive: true, encoding: 'utf8' })
      .map((name) => join(WEB_UI_FILES.scripts, name))
      .filter((path) => path.endsWith('.js'));
    const total = files.reduce((sum, path) => sum + statSync(path).size, 0);
    expect(files.length).toBeGreaterThan(5);
    expect(total).toBeLessThan(SCRIPT_BUDGET_BYTES);
  });

  it('leaves the API and its documents outside the UI', async () => {
    const health = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const openapi = await api.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.body).not.toContain('/assets/');
  });
});
