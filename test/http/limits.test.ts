// Rate and body limits: a caller past TOUCHMAIL_API_RATE_LIMIT gets 429 `rate-limited` with Retry-After
// while other callers and mail intake go on; JSON bodies past 1 MiB get 413 `payload-too-large`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';
import { startTestService, type TestService } from '../support/service.js';
import { TOUCHPOINT_ADDRESS } from '../support/workspace.js';

describe('rate limits per caller', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(undefined, undefined, { apiRateLimit: 5 });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 429 with Retry-After past the limit, for that token only', async () => {
    const get = (token: string | null) => api.request('GET', '/api/v1/workspaces/acme/logins', { token });
    for (let i = 0; i < 5; i++) expect((await get(api.tokens.acmeMember)).statusCode).toBe(200);
    const limited = await get(api.tokens.acmeMember);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate-limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(api.tokens.acmeAdmin)).statusCode).toBe(200);
  });

  it('keys a token by address until it is verified: random bearer tokens share their address’s bucket', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/v1/workspaces/acme/logins',
        remoteAddress: '203.0.113.7',
        headers: { authorization: `Bearer made-up-token-${i}-${Math.random()}` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // A verified token from that address keeps its own bucket.
    const real = await api.app.inject({
      method: 'GET',
      url: '/api/v1/workspaces/acme/logins',
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${api.tokens.otherAdmin}` },
    });
    expect(real.statusCode).toBe(404);
  });

  it('limits anonymous callers by address, and leaves health checks alone', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await api.request('GET', '/api/v1/session', { token: null })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    for (let i = 0; i < 7; i++)
      expect((await api.request('GET', '/healthz', { token: null })).statusCode).toBe(200);
  });
});

describe('limits of the running service', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ TOUCHMAIL_API_RATE_LIMIT: '3', TOUCHMAIL_SMTP_PORT: '0' });
  });
  afterAll(async () => {
    await t.stop();
  });
  const auth = { authorization: 'Bearer test-admin-token-0123456789' };

  it('never throttles mail intake, whatever the API traffic', async () => {
    for (let i = 0; i < 4; i++)
      await fetch(`${t.httpUrl}/api/v1/workspaces/acme/settings`, { headers: auth });
    const limited = await fetch(`${t.httpUrl}/api/v1/workspaces/acme/settings`, { headers: auth });
    expect(limited.status).toBe(429);
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${t.httpUrl}/api/v1/workspaces/acme/inbound?rcpt=${TOUCHPOINT_ADDRESS}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'message/rfc822' },
        body: `From: Jill <jill@acme.com>\r\nTo: bob@globex.com\r\nSubject: n${i}\r\nMessage-ID: <lim-${i}@acme.com>\r\n\r\nHello ${i}.\r\n`,
      });
      expect([200, 202]).toContain(response.status);
    }
  });

  it('refuses a JSON body over 1 MiB with 413 payload-too-large', async () => {
    const response = await fetch(`${t.httpUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@acme.com', password: 'p'.repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });
});
