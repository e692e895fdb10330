// The sweep of issue 6: every documented route under /api/v1/workspaces/{ws}, called with tokens of
// workspace `acme` on workspace `other` and on `other`'s objects, answers 403 or 404 and changes
// nothing. Generated from the OpenAPI document, so a new route is swept the day it is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { fixedDependencies } from '../support/workspace.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Row counts of workspace `other`, table by table: the sweep must leave them as they were. */
async function otherRows(api: ApiFixture): Promise<string> {
  const db = api.store.db;
  const counts: Record<string, unknown> = {};
  for (const table of [
    'accounts',
    'users',
    'memberships',
    'touchpoints',
    'touchpoint_participants',
    'logins',
    'inbound_messages',
    'api_tokens',
  ] as const) {
    const rows = await db.selectFrom(table).selectAll().where('workspace_id', '=', 'other').execute();
    counts[table] = rows;
  }
  return JSON.stringify(counts);
}

describe('workspace isolation sweep', () => {
  let api: ApiFixture;
  let operations: { method: Method; path: string }[];
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    api = await openApi();
    const { inboundId } = await ingestMessage(
      fixedDependencies(api.store),
      {
        raw: Buffer.from(
          'From: Olga Other <olga@other.example>\r\nTo: carl@othercustomer.example\r\nSubject: Hello\r\nMessage-ID: <sweep@other.example>\r\n\r\nHi Carl.\r\n',
        ),
        envelope: { mailFrom: 'olga@other.example', rcptTo: ['touchpoints@other.example' as Email] },
      },
      'cli',
    );
    const token = await api.store.db
      .selectFrom('api_tokens')
      .select('id')
      .where('workspace_id', '=', 'other')
      .executeTakeFirstOrThrow();
    Object.assign(ids, {
      accounts: 'o-acc',
      users: 'o-user',
      memberships: 'o-user',
      touchpoints: 'o-tp',
      logins: 'olga@other.example',
      inbound: inboundId,
      tokens: token.id,
      attachments: '0',
    });
    const response = await api.request('GET', '/api/openapi.json', { token: null });
    const document: unknown = response.json();
    const paths =
      typeof document === 'object' && document !== null && 'paths' in document ? document.paths : {};
    operations = Object.entries(typeof paths === 'object' && paths !== null ? paths : {}).flatMap(
      ([path, item]) =>
        path.startsWith('/api/v1/workspaces/{ws}')
          ? METHODS.filter((m) => typeof item === 'object' && item !== null && m.toLowerCase() in item).map(
              (method) => ({ method, path }),
            )
          : [],
    );
  });
  afterAll(async () => {
    await api.close();
  });

  /** Fills `{param}`s with the id of `other`'s object of the resource named just before it. */
  const fill = (path: string, ws: string) => {
    const segments = path.split('/');
    return segments
      .map((segment, i) => {
        if (segment === '{ws}') return ws;
        if (!segment.startsWith('{')) return segment;
        const resource =
          segments
            .slice(0, i)
            .reverse()
            .find((s) => !s.startsWith('{')) ?? '';
        const value = segment === '{accountId}' ? 'o-acc' : (ids[resource] ?? 'o-x');
        return encodeURIComponent(value);
      })
      .join('/');
  };

  it('finds the workspace routes in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it('answers 403 or 404 to acme tokens on workspace other, for every route, and changes nothing', async () => {
    const before = await otherRows(api);
    const answers: string[] = [];
    for (const token of [api.tokens.acmeAdmin, api.tokens.acmeMember, api.tokens.acmeIntake]) {
      for (const { method, path } of operations) {
        const url = fill(path, 'other');
        const response = await api.request(method, url, {
          token,
          ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }),
        });
        if (response.statusCode !== 403 && response.statusCode !== 404)
          answers.push(`${method} ${url} → ${response.statusCode}`);
      }
    }
    expect(answers).toEqual([]);
    expect(await otherRows(api)).toBe(before);
  });

  it("answers 404 to acme's admin for other's objects under acme's own path, and changes nothing", async () => {
    const before = await otherRows(api);
    const answers: string[] = [];
    for (const { method, path } of operations) {
      if (!/\{(?!ws\})/.test(path) || (method !== 'GET' && method !== 'DELETE')) continue;
      const url = fill(path, 'acme');
      const response = await api.request(method, url, { token: api.tokens.acmeAdmin });
      if (response.statusCode !== 404) answers.push(`${method} ${url} → ${response.statusCode}`);
    }
    expect(answers).toEqual([]);
    expect(await otherRows(api)).toBe(before);
  });
});
