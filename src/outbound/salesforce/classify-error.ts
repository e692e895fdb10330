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

/** The fields jsforce puts on its errors (HttpApiError: errorCode; OAuth errors: name). */
function describe(error: unknown): { code: string; message: string } {
  if (!(error instanceof Error)) return { code: '', message: String(error) };
  const code = 'errorCode' in error && typeof error.errorCode === 'string' ? error.errorCode : error.name;
  return { code, message: error.message };
}

/** `status`: the HTTP status of the failed call's answer, null when none came (timeout, network). */
export function classifySalesforceError(error: unknown, status: number | null): Failure {
  const { code, message } = describe(error);
  const said = `${code === '' || code === 'Error' ? '' : `${code}: `}${message}`.slice(0, 500);
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
  if (status === 401 || code === 'INVALID_SESSION_ID' || message.startsWith('Unable to refresh session'))
    return { kind: 'pause', reason: `Salesforce refused the session: ${said}`, forMs: LOGIN_PAUSE_MS };
  if (status === null) {
    const timedOut = code === 'AbortError' || /timeout|aborted/i.test(message);
    return {
      kind: 'retry',
      reason: timedOut ? 'Salesforce did not answer in time' : `could not reach Salesforce: ${said}`,
    };
  }
  if (status >= 500 || status === 429 || TRANSIENT_CODES.has(code))
    return { kind: 'retry', reason: `Salesforce answered ${status}: ${said}` };
  // 400 (validation, bad field, malformed id), 403 (no access), 404: the same write fails the same way.
  return { kind: 'permanent', reason: said };
}
