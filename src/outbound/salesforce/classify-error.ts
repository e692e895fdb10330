// What a failed Salesforce call means for the sync (SPEC §9: retried, idempotent, never blocking
// intake): pause the workspace (limits, maintenance, refused login), retry with backoff (timeouts,
// network, 5xx), or give up on this touchpoint with a reason people can read (validation and the like).

/** Salesforce's daily limit is a rolling 24 hours: look again after an hour rather than wait a day. */
export const LIMIT_PAUSE_MS = 60 * 60 * 1000;
/** 503: the org is in maintenance or overloaded; short outages are the norm. */
export const UNAVAILABLE_PAUSE_MS = 5 * 60 * 1000;
/** A refused login fails every touchpoint alike; saving the settings lifts the pause at once. */
export const LOGIN_PAUSE_MS = 15 * 60 * 1000;

export type Failure =
  | { readonly kind: 'pause'; readonly reason: string; readonly forMs: number }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'permanent'; readonly reason: string };

/** Codes Salesforce answers for conditions that pass (row locks, slow queries, internal errors). */
const TRANSIENT_CODES = new Set([
  'UNKNOWN_EXCEPTION',
  'UNABLE_TO_LOCK_ROW',
  'QUERY_TIMEOUT',
  'REQUEST_RUNNING_TOO_LONG',
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_504',
]);

/** OAuth error codes of the token endpoint: the credentials or the connected app are wrong. */
const OAUTH_PLAIN: Readonly<Record<string, string>> = {
  invalid_client_id: 'Salesforce does not know this client id (consumer key)',
  invalid_client: 'Salesforce refused the client secret (consumer secret)',
  invalid_grant: 'Salesforce refused the login',
  unsupported_grant_type: 'the connected app does not allow this login flow',
  inactive_user: 'the Salesforce user is inactive',
  inactive_org: 'the Salesforce org is inactive',
};

/**
 * What an error says, and whether its text may be shown. jsforce puts a structured answer's
 * `errorCode`/`error` and `message`/`error_description` on its errors, but also a raw body it could not
 * parse (`ERROR_HTTP_404` with the page as message). A raw body is never shown: only Salesforce's
 * structured errors (after the host was checked, connection.ts), our own errors, and status codes.
 */
function describe(error: unknown): { code: string; message: string; structured: boolean } {
  if (!(error instanceof Error)) return { code: '', message: '', structured: false };
  const code = 'errorCode' in error && typeof error.errorCode === 'string' ? error.errorCode : error.name;
  const structured =
    (/^[A-Z][A-Z0-9_]*$/.test(code) && !code.startsWith('ERROR_HTTP_')) || code in OAUTH_PLAIN;
  return { code, message: structured ? error.message : '', structured };
}

/** A system error code of a failed connection (ECONNREFUSED, ENOTFOUND…), without its text. */
function networkCode(error: unknown): string | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return null;
  return /^E[A-Z_]+$/.test(error.code) ? error.code : null;
}

/** `status`: the HTTP status of the failed call's answer, null when none came (timeout, network). */
export function classifySalesforceError(error: unknown, status: number | null): Failure {
  const { code, message, structured } = describe(error);
  if (code === 'UNTRUSTED_HOST' && error instanceof Error)
    return { kind: 'pause', reason: error.message, forMs: LOGIN_PAUSE_MS };
  const said = structured ? `${code}: ${message}`.slice(0, 500) : '';
  const saying = said === '' ? '' : `: ${said}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED')
    return {
      kind: 'pause',
      reason: `the Salesforce API request limit is exceeded (${said})`,
      forMs: LIMIT_PAUSE_MS,
    };
  if (status === 503 || code === 'ERROR_HTTP_503')
    return { kind: 'pause', reason: `Salesforce is unavailable (503)`, forMs: UNAVAILABLE_PAUSE_MS };
  const oauth = OAUTH_PLAIN[code];
  if (oauth !== undefined)
    return { kind: 'pause', reason: `${oauth}: ${message}`.slice(0, 500), forMs: LOGIN_PAUSE_MS };
  // jsforce wraps a failed refresh in a plain Error (its text may hold a remote answer: not shown).
  const refreshFailed = error instanceof Error && error.message.startsWith('Unable to refresh session');
  if (status === 401 || code === 'INVALID_SESSION_ID' || refreshFailed)
    return { kind: 'pause', reason: `Salesforce refused the session${saying}`, forMs: LOGIN_PAUSE_MS };
  if (status === null) {
    const timedOut =
      code === 'AbortError' || (error instanceof Error && /timeout|aborted/i.test(error.message));
    const network = networkCode(error);
    return {
      kind: 'retry',
      reason: timedOut
        ? 'Salesforce did not answer in time'
        : `could not reach Salesforce${network === null ? '' : ` (${network})`}`,
    };
  }
  if (status >= 500 || status === 429 || TRANSIENT_CODES.has(code))
    return { kind: 'retry', reason: `Salesforce answered ${status}${saying}` };
  // 400 (validation, bad field, malformed id), 403 (no access), 404: the same write fails the same way.
  return { kind: 'permanent', reason: said === '' ? `Salesforce answered ${status}` : said };
}
