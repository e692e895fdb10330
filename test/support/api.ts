// The HTTP API in-process (Fastify inject) on a fresh store: the fixture workspace `acme` and a second
// workspace `other` with objects of its own, and a token per role, for route tests and the sweep that
// checks no token reaches another workspace's data.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { importWorkspace } from '../../src/app/import-workspace.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import type { ApiContext } from '../../src/http/context.js';
import { buildHttpServer, type HttpServer } from '../../src/http/server.js';
import { SalesforceIntegration } from '../../src/outbound/salesforce/integration.js';
import { secretBox } from '../../src/secrets/secret-box.js';
import type { Store } from '../../src/store/store.js';
import { createToken, type TokenRole } from '../../src/store/token-repository.js';
import { FAKE_SALESFORCE_HOSTS } from './fake-salesforce.js';
import type { StoreKind } from './stores.js';
import { FIXED_NOW, fixedDependencies, openFixtureStore } from './workspace.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The key integration secrets are sealed with in API tests. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 0x5a);

/** The second workspace: every kind of object, so routes can be aimed at them with acme's tokens. */
export const OTHER_WORKSPACE = {
  workspace: {
    id: 'other',
    name: 'Other Inc',
    touchpointAddresses: ['touchpoints@other.example'],
    internalDomains: ['other.example'],
  },
  logins: [{ email: 'olga@other.example', name: 'Olga Other', role: 'admin' }],
  accounts: [{ id: 'o-acc', name: 'Other Customer' }],
  users: [{ id: 'o-user', email: 'carl@othercustomer.example', name: 'Carl Other' }],
  memberships: [{ userId: 'o-user', accountId: 'o-acc', associatedAt: '2026-01-01T00:00:00Z' }],
  touchpoints: [
    {
      id: 'o-tp',
      accountId: 'o-acc',
      authorEmail: 'olga@other.example',
      occurredAt: '2026-11-01T09:00:00Z',
      subject: 'Other kick-off',
    },
  ],
};

export interface ApiFixture {
  readonly app: HttpServer;
  readonly store: Store;
  readonly context: ApiContext;
  /** Tokens: `admin` is TOUCHMAIL_ADMIN_TOKEN; the others are API tokens of a login of their workspace. */
  readonly tokens: {
    readonly admin: string;
    readonly acmeAdmin: string;
    readonly acmeMember: string;
    readonly acmeIntake: string;
    readonly otherAdmin: string;
  };
  /** One request; `token: null` sends none. JSON bodies are sent as JSON. */
  request(
    method: InjectOptions['method'],
    url: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

function serverOn(context: ApiContext, apiRateLimit: number): Promise<HttpServer> {
  return buildHttpServer({
    context,
    apiRateLimit,
    intake: {
      messages: context.messages,
      adminToken: ADMIN_TOKEN,
      metrics: context.metrics,
      onAccepted: () => undefined,
    },
  });
}

/**
 * Another API node on the fixture's store (a second process behind the load balancer), its clock at
 * `now`: what nodes share goes through the store. The caller closes it.
 */
export function anotherNode(fixture: ApiFixture, now: Date): Promise<HttpServer> {
  return serverOn({ ...fixture.context, messages: { ...fixture.context.messages, now: () => now } }, 0);
}

export async function openApi(
  kind?: StoreKind,
  now: Date = FIXED_NOW,
  options: {
    /** Requests per minute per caller; off by default so route tests are not throttled (test/http/limits). */
    apiRateLimit?: number;
    /** Hosts besides Salesforce's the sync may call; the fake Salesforce's by default. */
    salesforceExtraHosts?: readonly string[];
  } = {},
): Promise<ApiFixture> {
  const store = await openFixtureStore(kind);
  const imported = await importWorkspace(store, OTHER_WORKSPACE, now);
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  const token = async (workspaceId: string, role: TokenRole, loginEmail: string | null) =>
    (await createToken(store.db, { workspaceId, name: `${role} test token`, role, loginEmail }, now)).token;
  const tokens = {
    admin: ADMIN_TOKEN,
    acmeAdmin: await token('acme', 'admin', 'jill@acme.com'),
    acmeMember: await token('acme', 'member', 'sam@acme.com'),
    acmeIntake: await token('acme', 'intake', null),
    otherAdmin: await token('other', 'admin', 'olga@other.example'),
  };
  const logger = createLogger('silent');
  const metrics = createMetrics(() => Promise.resolve(0));
  const context: ApiContext = {
    store,
    messages: fixedDependencies(store, now),
    adminToken: ADMIN_TOKEN,
    logger,
    metrics,
    publicUrl: new URL('http://touchmail.test/'),
    wakeOutbox: () => undefined,
    salesforce: new SalesforceIntegration(
      {
        store,
        secrets: secretBox(() => TEST_SECRET_KEY, 'no key'),
        now: () => now,
        logger,
        syncTotal: metrics.salesforceSyncTotal,
      },
      {
        timeoutMs: 2_000,
        maxAttempts: 5,
        extraHosts: options.salesforceExtraHosts ?? FAKE_SALESFORCE_HOSTS,
      },
    ),
  };
  const app = await serverOn(context, options.apiRateLimit ?? 0);
  return {
    app,
    store,
    context,
    tokens,
    request: (method, url, options = {}) => {
      const bearer = options.token === undefined ? tokens.acmeAdmin : options.token;
      const headers: Record<string, string> = { ...options.headers };
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      return app.inject({
        method,
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
        ...(options.body === undefined
          ? {}
          : { headers: { ...headers, 'content-type': 'application/json' } }),
      });
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
