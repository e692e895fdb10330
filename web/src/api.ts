// The UI's one way to call the API: same-origin JSON with the session cookie, the CSRF header on unsafe
// methods, and errors as ApiError carrying the catalogue's code and message.
import { fields, str } from './decode.js';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the session has ended (401 on a signed-in call): the app shows the sign-in page. */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** When false, a 401 is only an error (the sign-in call itself). */
  readonly session?: boolean;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== '') headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server does not answer. Check your connection and try again.');
  }
  const text = await response.text();
  let json: unknown = null;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const error = fields(fields(json).get('error'));
    const failure = new ApiError(
      response.status,
      str(error, 'code', `http-${response.status}`),
      str(error, 'message', `The server answered ${response.status}.`),
    );
    if (response.status === 401 && options.session !== false) onUnauthenticated();
    throw failure;
  }
  return json;
}

/** `/workspaces/{ws}/…` with each segment encoded. */
export function wsPath(workspaceId: string, ...segments: readonly string[]): string {
  return ['', 'workspaces', workspaceId, ...segments].map(encodeURIComponent).join('/');
}

export function query(values: Readonly<Record<string, string | number | null | undefined>>): string {
  const entries = Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
    .filter(([, v]) => v !== '')
    .map(([k, v]): [string, string] => [k, String(v)]);
  const search = new URLSearchParams(entries).toString();
  return search === '' ? '' : `?${search}`;
}

/** A message for people from any failure. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}
