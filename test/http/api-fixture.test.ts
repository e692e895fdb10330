// The API fixture itself: both workspaces load, every token authenticates, unknown routes answer the
// error catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

describe('API fixture', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('loads both workspaces', async () => {
    const rows = await api.store.db.selectFrom('touchpoints').select('workspace_id').execute();
    expect(new Set(rows.map((r) => r.workspace_id))).toEqual(new Set(['acme', 'other']));
  });

  it('answers unknown routes with the error catalogue', async () => {
    const response = await api.request('GET', '/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not-found' } });
  });
});
