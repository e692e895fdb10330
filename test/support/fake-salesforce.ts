// A local stand-in for the Salesforce REST endpoints the sync uses (node:http): the OAuth2 token
// endpoint (client credentials and password grants), SOQL query (Organization, Contact by Email),
// upsert of a Task by external id (201 created / 200 or 204 updated), the Sforce-Limit-Info header on
// every API answer, and programmable failures (slow answers, 401, 403 REQUEST_LIMIT_EXCEEDED, 503, 400,
// redirects). It listens on 127.0.0.1 over plain http: a host the sync calls only when the operator lists
// it (FAKE_SALESFORCE_HOSTS as TOUCHMAIL_SALESFORCE_EXTRA_HOSTS).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SettingsInput } from '../../src/outbound/salesforce/settings.js';

/** The hosts to allow (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS, SalesforceOptions.extraHosts) to reach the fake. */
export const FAKE_SALESFORCE_HOSTS: readonly string[] = ['127.0.0.1'];

export type FakeOperation = 'token' | 'query' | 'upsert';

export type FakeFailure =
  /** Answer this error (JSON array body as Salesforce sends, or plain text when no errorCode). */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly errorCode?: string;
      readonly message?: string;
    }
  /** Answer only after `ms`; with `apply`, the write is done first (the client just never hears back). */
  | { readonly kind: 'slow'; readonly ms: number; readonly apply: boolean }
  /** Answer `status` (3xx) with this Location. */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string };

export interface FakeTask {
  readonly Id: string;
  readonly fields: Record<string, unknown>;
}

export interface FakeSalesforce {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  /** The password the fake expects: password followed by the security token. */
  readonly password: string;
  /** Tasks by external id value. */
  readonly tasks: Map<string, FakeTask>;
  /** Every request: method, path (with query), form or JSON body. */
  readonly requests: { method: string; path: string; body: string }[];
  /** The Email literals of Contact queries, as the fake parsed them. */
  readonly contactLookups: string[];
  apiUsage: { used: number; max: number };
  /** Failures for the next calls of `operation`, in order. */
  fail(operation: FakeOperation, ...failures: FakeFailure[]): void;
  /** Forgets every access token (the next API call answers 401 INVALID_SESSION_ID). */
  expireSessions(): void;
  count(operation: FakeOperation): number;
  close(): Promise<void>;
}

export interface FakeOptions {
  readonly externalIdField?: string;
  readonly contacts?: readonly { Id: string; Email: string }[];
  readonly apiUsage?: { used: number; max: number };
  /** The instance_url of token answers; the fake's own URL by default. */
  readonly instanceUrl?: string;
}

const ORG_ID = '00D000000000001AAA';

export async function startFakeSalesforce(options: FakeOptions = {}): Promise<FakeSalesforce> {
  const externalIdField = options.externalIdField ?? 'Touchmail_Id__c';
  const contacts = options.contacts ?? [];
  const tokens = new Set<string>();
  const failures = new Map<FakeOperation, FakeFailure[]>();
  const counts = new Map<FakeOperation, number>();
  const timers = new Set<NodeJS.Timeout>();
  let nextTask = 1;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      fake.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const json = (
    res: ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(value));
  };
  const limitHeader = () => ({ 'sforce-limit-info': `api-usage=${fake.apiUsage.used}/${fake.apiUsage.max}` });
  const apiError = (res: ServerResponse, status: number, errorCode: string, message: string) =>
    json(res, status, [{ message, errorCode }], limitHeader());

  /** Runs `act` now, or as the next programmed failure says. */
  const perform = (operation: FakeOperation, res: ServerResponse, act: (answer: boolean) => void): void => {
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const failure = failures.get(operation)?.shift();
    if (failure === undefined) return act(true);
    if (failure.kind === 'redirect') {
      res.writeHead(failure.status, { location: failure.location });
      res.end();
      return;
    }
    if (failure.kind === 'error') {
      if (failure.errorCode === undefined) {
        res.writeHead(failure.status, { 'content-type': 'text/plain', ...limitHeader() });
        res.end(failure.message ?? 'Service Unavailable');
        return;
      }
      return operation === 'token'
        ? json(res, failure.status, { error: failure.errorCode, error_description: failure.message ?? '' })
        : apiError(res, failure.status, failure.errorCode, failure.message ?? failure.errorCode);
    }
    // With `apply`, done at once and answered late: a timeout as the client sees it, after the write.
    if (failure.apply) act(false);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.writableEnded && !res.destroyed) {
        if (failure.apply) json(res, 200, { late: true });
        else act(true);
      }
    }, failure.ms);
    timers.add(timer);
  };

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = new URL(req.url ?? '/', url);
    if (req.method === 'POST' && path.pathname === '/services/oauth2/token')
      return perform('token', res, (answer) => {
        if (answer) token(res, new URLSearchParams(body));
      });
    const api = /^\/services\/data\/v(\d+)\.0(\/.*)$/.exec(path.pathname);
    if (api === null) return apiError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !tokens.has(bearer))
      return apiError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    fake.apiUsage = { ...fake.apiUsage, used: fake.apiUsage.used + 1 };
    const version = Number(api[1]);
    const rest = api[2] ?? '';
    if (req.method === 'GET' && rest === '/query')
      return perform('query', res, (answer) => {
        if (answer) query(res, path.searchParams.get('q') ?? '');
      });
    const upsert = /^\/sobjects\/Task\/([^/]+)\/([^/]+)$/.exec(rest);
    if (req.method === 'PATCH' && upsert !== null) {
      const [, field = '', value = ''] = upsert;
      if (field !== externalIdField)
        return apiError(
          res,
          404,
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${field}`,
        );
      return perform('upsert', res, (answer) =>
        upsertTask(res, decodeURIComponent(value), body, version, answer),
      );
    }
    apiError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function token(res: ServerResponse, form: URLSearchParams): void {
    if (form.get('client_id') !== fake.clientId)
      return json(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    if (form.get('client_secret') !== fake.clientSecret)
      return json(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
    const grant = form.get('grant_type');
    if (grant === 'password') {
      if (form.get('username') !== fake.username || form.get('password') !== fake.password)
        return json(res, 400, { error: 'invalid_grant', error_description: 'authentication failure' });
    } else if (grant !== 'client_credentials') {
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    }
    const accessToken = `${ORG_ID}!${randomBytes(12).toString('hex')}`;
    tokens.add(accessToken);
    json(res, 200, {
      access_token: accessToken,
      instance_url: options.instanceUrl ?? url,
      id: `${url}/id/${ORG_ID}/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: 'fake',
    });
  }

  function query(res: ServerResponse, soql: string): void {
    if (/^SELECT Id FROM Organization LIMIT 1$/i.test(soql))
      return json(
        res,
        200,
        { totalSize: 1, done: true, records: [{ attributes: { type: 'Organization' }, Id: ORG_ID }] },
        limitHeader(),
      );
    const contact =
      /^SELECT Id FROM Contact WHERE Email = '((?:[^'\\]|\\.)*)' ORDER BY CreatedDate ASC LIMIT 1$/.exec(
        soql,
      );
    if (contact === null) return apiError(res, 400, 'MALFORMED_QUERY', `unexpected query: ${soql}`);
    const email = unescapeSoql(contact[1] ?? '');
    fake.contactLookups.push(email);
    const records = contacts
      .filter((c) => c.Email.toLowerCase() === email.toLowerCase())
      .slice(0, 1)
      .map((c) => ({ attributes: { type: 'Contact' }, Id: c.Id }));
    json(res, 200, { totalSize: records.length, done: true, records }, limitHeader());
  }

  function upsertTask(
    res: ServerResponse,
    extId: string,
    body: string,
    version: number,
    answer: boolean,
  ): void {
    const fields = JSON.parse(body) as Record<string, unknown>;
    if (externalIdField in fields)
      return void apiError(
        res,
        400,
        'INVALID_FIELD',
        `The external id field ${externalIdField} is in the URL, not the body`,
      );
    const existing = fake.tasks.get(extId);
    if (existing === undefined) {
      const id = `00T${String(nextTask++).padStart(15, '0')}`;
      fake.tasks.set(extId, { Id: id, fields: { ...fields, [externalIdField]: extId } });
      if (answer) json(res, 201, { id, success: true, errors: [], created: true }, limitHeader());
      return;
    }
    fake.tasks.set(extId, { Id: existing.Id, fields: { ...existing.fields, ...fields } });
    if (!answer) return;
    // Updates answer 200 with the id from API 46.0 on, 204 before.
    if (version >= 46)
      json(res, 200, { id: existing.Id, success: true, errors: [], created: false }, limitHeader());
    else {
      res.writeHead(204, limitHeader());
      res.end();
    }
  }

  const fake: FakeSalesforce = {
    url,
    clientId: '3MVG9fake.client.id',
    clientSecret: 'fake-client-secret-0123',
    username: 'integration@acme.example',
    password: 'Pa55word!TOKEN123',
    tasks: new Map(),
    requests: [],
    contactLookups: [],
    apiUsage: options.apiUsage ?? { used: 100, max: 15_000 },
    fail(operation, ...more) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...more]);
    },
    expireSessions() {
      tokens.clear();
    },
    count: (operation) => counts.get(operation) ?? 0,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** SOQL string escapes back to text: `\'`, `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`. */
export function unescapeSoql(literal: string): string {
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  return literal.replace(/\\(.)/g, (_m, c: string) => map[c] ?? c);
}

/** A workspace's Salesforce settings pointing at `fake`: sync on, client credentials, its external id. */
export function settingsFor(fake: FakeSalesforce, overrides: Partial<SettingsInput> = {}): SettingsInput {
  return {
    enabled: true,
    authFlow: 'client-credentials',
    loginUrl: fake.url,
    apiVersion: '62.0',
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    username: null,
    externalIdField: 'Touchmail_Id__c',
    pauseBelowShare: 0.1,
    ...overrides,
  };
}
