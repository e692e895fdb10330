// A jsforce connection opened from a workspace's credentials: OAuth2 client credentials or the OAuth2
// username-password grant (REST, not the SOAP login Salesforce is retiring), a bounded timeout on every
// call, no hidden retries (the outbox retries, with backoff), and at most one session refresh per
// operation when Salesforce answers 401 INVALID_SESSION_ID.
import { Connection, type TokenResponse } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import type { StreamPromise } from 'jsforce';
import type { Credentials } from './settings.js';

/** Sends every request with our timeout and without jsforce's own retries; remembers the last status. */
class WatchedTransport extends Transport {
  /** HTTP status of the last response; null after a network error or timeout. */
  lastStatus: number | null = null;

  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    this.lastStatus = null;
    const sent = super.httpRequest(req, { ...options, timeout: this.timeoutMs, retry: { maxRetries: 0 } });
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

/** A session for `credentials`, not logged in yet (no network until `login`). */
export function createSession(credentials: Credentials, timeoutMs: number): SalesforceSession {
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
    const token =
      credentials.authFlow === 'client-credentials'
        ? await connection.oauth2.requestToken({ grant_type: 'client_credentials' })
        : await connection.oauth2.authenticate(credentials.username ?? '', credentials.password ?? '');
    connection.instanceUrl = token.instance_url;
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
