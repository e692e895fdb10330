// A jsforce connection opened from a workspace's credentials: OAuth2 client credentials or the OAuth2
// username-password grant (REST, not the SOAP login Salesforce is retiring), a bounded timeout on every
// call, no hidden retries (the outbox retries, with backoff), and at most one session refresh per
// operation when Salesforce answers 401 INVALID_SESSION_ID. It calls Salesforce only: the login URL and
// the instance URL of every token answer are checked before use, and redirects are never followed.
import { Connection, type TokenResponse } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import type { StreamPromise } from 'jsforce';
import { salesforceUrlProblem } from '../../domain/salesforce-host.js';
import type { Credentials } from './settings.js';

/**
 * A URL the sync will not call: not Salesforce's, nor a host the operator allows. Its message is ours,
 * never the remote answer's (that would hand a body from elsewhere to whoever tests the settings).
 */
export class UntrustedHostError extends Error {
  readonly errorCode = 'UNTRUSTED_HOST';
  constructor(message: string) {
    super(message);
    this.name = 'UntrustedHostError';
  }
}

/** Sends every request with our timeout and without jsforce's own retries; remembers the last status. */
class WatchedTransport extends Transport {
  /** HTTP status of the last response; null after a network error or timeout. */
  lastStatus: number | null = null;

  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    this.lastStatus = null;
    // No redirects: jsforce would follow any Location, bearer token included, wherever it points.
    const sent = super.httpRequest(req, {
      ...options,
      timeout: this.timeoutMs,
      retry: { maxRetries: 0 },
      followRedirect: false,
    });
    sent.then(
      (response) => {
        this.lastStatus = response.statusCode;
      },
      () => undefined,
    );
    return sent;
  }
}

export interface SalesforceSession {
  readonly connection: Connection;
  /** Gets a token (client credentials or password grant) and the instance URL. */
  login(): Promise<void>;
  /** Status of the last HTTP answer (null: none came: timeout or network error). */
  lastStatus(): number | null;
  /** The daily API allocation from this operation's last `Sforce-Limit-Info: api-usage=USED/MAX`. */
  apiUsage(): { readonly used: number; readonly max: number } | null;
  /** Starts an operation: one session refresh allowed, the allocation reading cleared. */
  beginOperation(): void;
}

/**
 * A session for `credentials`, not logged in yet (no network until `login`); `extraHosts` are the hosts
 * besides Salesforce's it may call (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS).
 */
export function createSession(
  credentials: Credentials,
  timeoutMs: number,
  extraHosts: readonly string[],
): SalesforceSession {
  const transport = new WatchedTransport(timeoutMs);
  let refreshes = 0;
  const connection: Connection = new Connection({
    loginUrl: credentials.loginUrl,
    version: credentials.apiVersion,
    oauth2: {
      loginUrl: credentials.loginUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
    },
    // Called by jsforce on 401 INVALID_SESSION_ID; it repeats the request after a new login, once.
    refreshFn: (_conn, callback) => {
      if (refreshes <= 0) {
        callback(new Error('Salesforce refused the session again right after a new login'));
        return;
      }
      refreshes -= 1;
      login().then(
        (token) => {
          callback(null, token.access_token, token);
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  connection._transport = transport;
  connection.oauth2._transport = transport;

  async function login(): Promise<TokenResponse> {
    // Checked again at each login: stored settings may predate the rule, or the operator's list changed.
    if (!trusted(credentials.loginUrl, extraHosts))
      throw new UntrustedHostError(
        'the login URL is not a Salesforce host: enter https://login.salesforce.com or your My Domain URL',
      );
    // Undefined when the answer was no JSON (a redirect, which is not followed, answers nothing).
    const token: TokenResponse | undefined =
      credentials.authFlow === 'client-credentials'
        ? await connection.oauth2.requestToken({ grant_type: 'client_credentials' })
        : await connection.oauth2.authenticate(credentials.username ?? '', credentials.password ?? '');
    if (token === undefined) throw new Error('The login answer carries no token');
    // The token answer names where the API calls go: Salesforce's, or one of the operator's hosts.
    if (!trusted(token.instance_url, extraHosts))
      throw new UntrustedHostError('Salesforce answered with an instance URL that is not a Salesforce host');
    connection.instanceUrl = new URL(token.instance_url).origin;
    connection.accessToken = token.access_token;
    return token;
  }

  return {
    connection,
    login: async () => {
      await login();
    },
    lastStatus: () => transport.lastStatus,
    apiUsage: () => {
      const usage = connection.limitInfo.apiUsage;
      return usage === undefined ? null : { used: usage.used, max: usage.limit };
    },
    beginOperation: () => {
      refreshes = 1;
      connection.limitInfo = {};
    },
  };
}

function trusted(raw: unknown, extraHosts: readonly string[]): boolean {
  if (typeof raw !== 'string' || !URL.canParse(raw)) return false;
  return salesforceUrlProblem(new URL(raw), extraHosts) === null;
}
