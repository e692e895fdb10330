// Signing in through the API in tests: a password set through the use-case, then POST /api/v1/session.
import { expect } from 'vitest';
import { setLoginPassword } from '../../src/app/login-users.js';
import type { ApiFixture } from './api.js';

export const PASSWORD = 'correct horse battery staple';

export interface SignedIn {
  readonly cookie: string;
  readonly csrfToken: string;
  /** Headers of a request of this session; `csrf: false` leaves the CSRF token out. */
  headers(options?: { csrf?: boolean }): Record<string, string>;
}

export async function givePassword(
  api: ApiFixture,
  workspaceId: string,
  email: string,
  password = PASSWORD,
): Promise<void> {
  const result = await setLoginPassword(api.store, workspaceId, email, password, {
    actor: 'test',
    now: api.context.messages.now(),
  });
  if (!result.ok) throw new Error(result.message);
}

export async function signIn(
  api: ApiFixture,
  email: string,
  password = PASSWORD,
  workspaceId?: string,
): Promise<SignedIn> {
  const response = await api.request('POST', '/api/v1/session', {
    token: null,
    body: { email, password, ...(workspaceId === undefined ? {} : { workspaceId }) },
  });
  expect(response.statusCode, response.body).toBe(200);
  const setCookie = String(response.headers['set-cookie']);
  const cookie = /touchmail_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
  const { csrfToken } = response.json<{ csrfToken: string }>();
  return {
    cookie,
    csrfToken,
    headers: ({ csrf = true } = {}) => ({
      cookie: `touchmail_session=${cookie}`,
      ...(csrf ? { 'x-csrf-token': csrfToken } : {}),
    }),
  };
}
