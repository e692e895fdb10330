// The service's configuration: the only module that reads process.env. Parsed once, typed, frozen.
// Variables are those of INTERFACE.md; a bad or unknown TOUCHMAIL_* variable stops start-up.
import { isIP } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

export type DatabaseConfig =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

export interface Config {
  readonly database: DatabaseConfig;
  readonly smtpPort: number;
  readonly httpPort: number;
  readonly host: string;
  readonly outboundSmtp: URL | null;
  readonly publicUrl: URL;
  /** Notices per recipient address per hour at most (SPEC §7: rate-limited per recipient). */
  readonly noticeRateLimit: number;
  readonly adminToken: string | null;
  readonly logLevel: LogLevel;
  /** TOUCHMAIL_LOG_FORMAT; null = readable on a terminal, JSON otherwise. */
  readonly logFormat: LogFormat | null;
  readonly maxMessageBytes: number;
  /** API requests per minute per verified token or session, else per client address; 0 = no limit. */
  readonly apiRateLimit: number;
  /**
   * Worker threads that evaluate inbound messages (parse, gates, scenario, directory reads) beside the
   * thread that takes mail in and records; 0 = evaluate in that thread.
   */
  readonly evaluationThreads: number;
  /** DNS servers sender verification asks (`ip` or `ip:port`); empty = the system's. */
  readonly dnsServers: readonly string[];
  /**
   * PostgreSQL connections this node opens at most (TOUCHMAIL_PG_POOL_SIZE), divided by
   * divideConnections: `main` for the service's own pool, `perThread` for each evaluation thread.
   */
  readonly postgresPool: ConnectionShares & { readonly size: number };
  readonly smtp: {
    readonly hostname: string;
    readonly maxClients: number;
    readonly maxClientsPerIp: number;
    readonly idleTimeoutMs: number;
    /** PEM files for STARTTLS; null = STARTTLS not offered. */
    readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  };
  /** An ordinary mailbox to poll for touchpoint mail (SPEC §2.3); null = no IMAP intake. */
  readonly imap: { readonly url: URL; readonly rcpt: string } | null;
  /**
   * The key that encrypts integration secrets at rest (AES-256-GCM, 32 bytes); null = unset, in which
   * case SQLite keeps a key file beside the database and PostgreSQL refuses to store secrets.
   */
  readonly secretKey: Buffer | null;
  /**
   * Hosts besides Salesforce's own domains that Salesforce login and instance URLs may name, over http or
   * https, on any port (a local test double, an egress proxy); empty = Salesforce's domains over https only.
   */
  readonly salesforceExtraHosts: readonly string[];
}

/** Raised when the environment does not describe a valid configuration; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Largest message accepted by default: 25 MiB, the common ceiling of mainstream providers (Gmail, Outlook). */
export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Hard upper bound for TOUCHMAIL_MAX_MESSAGE_BYTES: the raw message is held in memory and stored in one row. */
const MAX_MESSAGE_BYTES_CEILING = 200 * 1024 * 1024;

/**
 * Notices per recipient per hour by default: a busy team member gets a handful of failure notices a day;
 * ten in an hour is already a mistake repeating, and more would only flood the mailbox.
 */
export const DEFAULT_NOTICE_RATE_LIMIT = 10;

/**
 * API requests per minute per caller by default: 10 a second is far above what a person in the web UI
 * makes and enough for scripts, while a runaway client cannot starve the store. Mail intake is exempt.
 */
export const DEFAULT_API_RATE_LIMIT = 600;
/** Evaluation threads at most: each holds its own database connections and a parser's memory. */
const MAX_EVALUATION_THREADS = 64;

/**
 * One evaluation thread per core but one: the main thread keeps a core for SMTP, group commit and
 * recording. On one core, evaluation stays in the main thread (a thread would only add hand-offs).
 */
function defaultEvaluationThreads(): number {
  return Math.min(MAX_EVALUATION_THREADS, availableParallelism() - 1);
}

/**
 * PostgreSQL connections per node by default: ten nodes stay within PostgreSQL's default
 * `max_connections` of 100 (docs/DEPLOYMENT.md says how to size it for more).
 */
export const DEFAULT_PG_POOL_SIZE = 10;
const MAX_PG_POOL_SIZE = 1000;

export interface ConnectionShares {
  /** The service's own pool: intake, worker loops recording, outbox, API. */
  readonly main: number;
  /** Each evaluation thread's read-only pool (0 when there are none). */
  readonly perThread: number;
}

/**
 * Divides a node's connection budget: the service's pool keeps at least half (it does every write),
 * the evaluation threads share the rest, one connection each at least. Null when the threads do not fit.
 */
export function divideConnections(budget: number, threads: number): ConnectionShares | null {
  const forThreads = Math.floor(budget / 2);
  if (threads === 0) return { main: budget, perThread: 0 };
  if (threads > forThreads) return null;
  const perThread = Math.floor(forThreads / threads);
  return { main: budget - perThread * threads, perThread };
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

/** Variables this module understands; any other TOUCHMAIL_* (but the tests' TOUCHMAIL_TEST_*) is a typo. */
const KNOWN = new Set([
  'TOUCHMAIL_DATABASE',
  'TOUCHMAIL_SMTP_PORT',
  'TOUCHMAIL_HTTP_PORT',
  'TOUCHMAIL_HOST',
  'TOUCHMAIL_OUTBOUND_SMTP',
  'TOUCHMAIL_PUBLIC_URL',
  'TOUCHMAIL_NOTICE_RATE_LIMIT',
  'TOUCHMAIL_ADMIN_TOKEN',
  'TOUCHMAIL_LOG_LEVEL',
  'TOUCHMAIL_LOG_FORMAT',
  'TOUCHMAIL_MAX_MESSAGE_BYTES',
  'TOUCHMAIL_API_RATE_LIMIT',
  'TOUCHMAIL_EVALUATION_THREADS',
  'TOUCHMAIL_DNS_SERVERS',
  'TOUCHMAIL_PG_POOL_SIZE',
  'TOUCHMAIL_SMTP_HOSTNAME',
  'TOUCHMAIL_SMTP_MAX_CLIENTS',
  'TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP',
  'TOUCHMAIL_SMTP_IDLE_TIMEOUT',
  'TOUCHMAIL_SMTP_TLS_CERT',
  'TOUCHMAIL_SMTP_TLS_KEY',
  'TOUCHMAIL_IMAP_URL',
  'TOUCHMAIL_IMAP_RCPT',
  'TOUCHMAIL_SECRET_KEY',
  'TOUCHMAIL_SALESFORCE_EXTRA_HOSTS',
]);

/** Variables whose values are secrets or may hold one (a password in a URL): a problem never echoes them. */
const SECRET_VALUES = new Set([
  'TOUCHMAIL_ADMIN_TOKEN',
  'TOUCHMAIL_DATABASE',
  'TOUCHMAIL_OUTBOUND_SMTP',
  'TOUCHMAIL_IMAP_URL',
]);

/** Parses an environment into a frozen Config, or throws ConfigError naming every bad variable. */
export function parseConfig(env: Env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const read = <T>(name: string, fallback: string, parse: (raw: string) => T | string): T | undefined => {
    const raw = env[name] === undefined || env[name] === '' ? fallback : (env[name] ?? fallback);
    const parsed = parse(raw.trim());
    if (typeof parsed === 'string') {
      problems.push(
        SECRET_VALUES.has(name) ? `${name}: ${parsed}` : `${name}=${JSON.stringify(raw)}: ${parsed}`,
      );
      return undefined;
    }
    return parsed;
  };

  for (const name of Object.keys(env)) {
    if (name.startsWith('TOUCHMAIL_') && !name.startsWith('TOUCHMAIL_TEST_') && !KNOWN.has(name)) {
      problems.push(`${name}: unknown variable (known: ${[...KNOWN].join(', ')})`);
    }
  }

  const database = read('TOUCHMAIL_DATABASE', 'sqlite:./data/touchmail.db', (raw) => parseDatabase(raw, cwd));
  const smtpPort = read('TOUCHMAIL_SMTP_PORT', '2525', parsePort);
  const httpPort = read('TOUCHMAIL_HTTP_PORT', '8080', parsePort);
  const host = read('TOUCHMAIL_HOST', '127.0.0.1', (raw) =>
    /^[\w.:-]+$/.test(raw) ? { value: raw } : 'expected a host name or IP address',
  )?.value;
  const outboundSmtp = read('TOUCHMAIL_OUTBOUND_SMTP', '', (raw) =>
    raw === '' ? { value: null } : parseUrl(raw, ['smtp:', 'smtps:']),
  )?.value;
  const publicUrl = read(
    'TOUCHMAIL_PUBLIC_URL',
    listenUrl(host ?? '127.0.0.1', httpPort?.value ?? 8080),
    (raw) => parseUrl(raw, ['http:', 'https:']),
  )?.value;
  const adminToken = read('TOUCHMAIL_ADMIN_TOKEN', '', (raw) => {
    if (raw === '') return { value: null };
    return raw.length >= 16 ? { value: raw } : 'must be at least 16 characters';
  })?.value;
  const logLevel = read('TOUCHMAIL_LOG_LEVEL', 'info', (raw) =>
    (LOG_LEVELS as readonly string[]).includes(raw)
      ? { value: raw as LogLevel }
      : `expected one of ${LOG_LEVELS.join(', ')}`,
  )?.value;
  const logFormat = read('TOUCHMAIL_LOG_FORMAT', '', (raw) =>
    raw === '' ? { value: null } : parseLogFormat(raw),
  )?.value;
  const maxMessageBytes = read('TOUCHMAIL_MAX_MESSAGE_BYTES', String(DEFAULT_MAX_MESSAGE_BYTES), (raw) => {
    const n = Number(raw);
    return /^\d+$/.test(raw) && n >= 1024 && n <= MAX_MESSAGE_BYTES_CEILING
      ? { value: n }
      : `expected a whole number of bytes from 1024 to ${MAX_MESSAGE_BYTES_CEILING}`;
  })?.value;

  const count = (name: string, fallback: string, min: number, max: number) =>
    read(name, fallback, (raw) => {
      const n = Number(raw);
      return /^\d+$/.test(raw) && n >= min && n <= max
        ? { value: n }
        : `expected a whole number from ${min} to ${max}`;
    })?.value;
  const pgPoolSize = count('TOUCHMAIL_PG_POOL_SIZE', String(DEFAULT_PG_POOL_SIZE), 2, MAX_PG_POOL_SIZE);
  // On PostgreSQL each evaluation thread holds a connection of the node's budget: by default there are
  // no more threads than half the budget; more, set explicitly, is refused below.
  const threadsThatFit =
    database?.kind === 'postgres' && pgPoolSize !== undefined ? Math.floor(pgPoolSize / 2) : Infinity;
  const evaluationThreads = count(
    'TOUCHMAIL_EVALUATION_THREADS',
    String(Math.min(defaultEvaluationThreads(), threadsThatFit)),
    0,
    MAX_EVALUATION_THREADS,
  );
  const dnsServers = read('TOUCHMAIL_DNS_SERVERS', '', parseDnsServers)?.value;
  const shares =
    pgPoolSize === undefined || evaluationThreads === undefined
      ? undefined
      : database?.kind === 'postgres'
        ? divideConnections(pgPoolSize, evaluationThreads)
        : { main: pgPoolSize, perThread: 0 };
  if (shares === null)
    problems.push(
      `TOUCHMAIL_EVALUATION_THREADS=${evaluationThreads}: on PostgreSQL each evaluation thread needs one of the ` +
        `TOUCHMAIL_PG_POOL_SIZE=${pgPoolSize} connections, of which half stay with the service: at most ` +
        `${threadsThatFit} threads; raise TOUCHMAIL_PG_POOL_SIZE or lower TOUCHMAIL_EVALUATION_THREADS`,
    );
  const smtpHostname = read('TOUCHMAIL_SMTP_HOSTNAME', hostname(), (raw) =>
    /^[A-Za-z0-9.-]+$/.test(raw) ? { value: raw } : 'expected a host name',
  )?.value;
  const maxClients = count('TOUCHMAIL_SMTP_MAX_CLIENTS', '200', 1, 100_000);
  const apiRateLimit = count('TOUCHMAIL_API_RATE_LIMIT', String(DEFAULT_API_RATE_LIMIT), 0, 1_000_000);
  const maxClientsPerIp = count('TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP', '20', 1, 100_000);
  const idleTimeoutSeconds = count('TOUCHMAIL_SMTP_IDLE_TIMEOUT', '60', 1, 3600);
  const noticeRateLimit = count('TOUCHMAIL_NOTICE_RATE_LIMIT', String(DEFAULT_NOTICE_RATE_LIMIT), 1, 10_000);
  const certFile = env.TOUCHMAIL_SMTP_TLS_CERT ?? '';
  const keyFile = env.TOUCHMAIL_SMTP_TLS_KEY ?? '';
  if ((certFile === '') !== (keyFile === '')) {
    problems.push('TOUCHMAIL_SMTP_TLS_CERT and TOUCHMAIL_SMTP_TLS_KEY: set both (PEM files) or neither');
  }
  const imapUrl = read('TOUCHMAIL_IMAP_URL', '', (raw) =>
    raw === '' ? { value: null } : parseUrl(raw, ['imap:', 'imaps:']),
  )?.value;
  const imapRcpt = env.TOUCHMAIL_IMAP_RCPT ?? '';
  if ((imapUrl === null || imapUrl === undefined) !== (imapRcpt === '')) {
    problems.push(
      'TOUCHMAIL_IMAP_URL and TOUCHMAIL_IMAP_RCPT: set both (the mailbox and the touchpoint address it receives) or neither',
    );
  }

  const salesforceExtraHosts = read('TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', '', parseHostList)?.value;

  // Not through `read`: a wrong key must not be echoed into logs.
  const secretKeyParsed = parseSecretKey((env.TOUCHMAIL_SECRET_KEY ?? '').trim());
  const secretKey = typeof secretKeyParsed === 'string' ? undefined : secretKeyParsed.value;
  if (typeof secretKeyParsed === 'string') problems.push(`TOUCHMAIL_SECRET_KEY: ${secretKeyParsed}`);

  if (
    problems.length > 0 ||
    secretKey === undefined ||
    salesforceExtraHosts === undefined ||
    evaluationThreads === undefined ||
    dnsServers === undefined ||
    pgPoolSize === undefined ||
    shares === undefined ||
    shares === null ||
    smtpHostname === undefined ||
    maxClients === undefined ||
    apiRateLimit === undefined ||
    maxClientsPerIp === undefined ||
    idleTimeoutSeconds === undefined ||
    noticeRateLimit === undefined ||
    imapUrl === undefined ||
    database === undefined ||
    smtpPort === undefined ||
    httpPort === undefined ||
    host === undefined ||
    outboundSmtp === undefined ||
    publicUrl === undefined ||
    adminToken === undefined ||
    logLevel === undefined ||
    logFormat === undefined ||
    maxMessageBytes === undefined
  ) {
    throw new ConfigError(problems);
  }
  return Object.freeze({
    database: Object.freeze(database),
    smtpPort: smtpPort.value,
    httpPort: httpPort.value,
    host,
    outboundSmtp,
    publicUrl,
    noticeRateLimit,
    adminToken,
    logLevel,
    logFormat,
    maxMessageBytes,
    apiRateLimit,
    evaluationThreads,
    dnsServers: Object.freeze(dnsServers),
    postgresPool: Object.freeze({ size: pgPoolSize, ...shares }),
    smtp: Object.freeze({
      hostname: smtpHostname,
      maxClients,
      maxClientsPerIp,
      idleTimeoutMs: idleTimeoutSeconds * 1000,
      tls:
        certFile === ''
          ? null
          : Object.freeze({ certFile: resolve(cwd, certFile), keyFile: resolve(cwd, keyFile) }),
    }),
    imap: imapUrl === null ? null : Object.freeze({ url: imapUrl, rcpt: imapRcpt }),
    secretKey,
    salesforceExtraHosts: Object.freeze(salesforceExtraHosts),
  });
}

/**
 * Host names or IP addresses (IPv6 in brackets), comma-separated, as URL.hostname spells them: no
 * scheme, port, path or wildcard — each is one host the operator vouches for.
 */
function parseHostList(raw: string): { value: string[] } | string {
  if (raw === '') return { value: [] };
  const hosts: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim().toLowerCase())) {
    let hostname: string | null = null;
    try {
      const url = new URL(`http://${entry}/`);
      if (url.host === entry && url.port === '') hostname = url.hostname;
    } catch {
      // not a host: reported below
    }
    if (hostname === null || entry === '' || entry.includes('*'))
      return `"${entry}" is not a host name or IP address (no scheme, port, path or wildcard; IPv6 in brackets)`;
    hosts.push(hostname);
  }
  return { value: hosts };
}

/** 32 bytes as 64 hex digits or as base64 (`openssl rand -base64 32`). */
function parseSecretKey(raw: string): { value: Buffer | null } | string {
  if (raw === '') return { value: null };
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return { value: Buffer.from(raw, 'hex') };
  if (/^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9_-]{43}$/.test(raw)) {
    const key = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
    if (key.length === 32) return { value: key };
  }
  return 'expected 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)';
}

function parseDatabase(raw: string, cwd: string): DatabaseConfig | string {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (path === '') return 'expected sqlite:PATH with a file path (or sqlite::memory:)';
    if (path === ':memory:') return { kind: 'sqlite', path };
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw);
      return { kind: 'postgres', url: raw };
    } catch {
      return 'not a valid postgres:// URL';
    }
  }
  return 'expected sqlite:PATH or a postgres:// URL';
}

/** `192.0.2.53, [2001:db8::53]:5353`: addresses as node:dns `setServers` takes them. */
function parseDnsServers(raw: string): { value: string[] } | string {
  const servers = raw === '' ? [] : raw.split(',').map((s) => s.trim());
  const valid = (server: string) => {
    const match = /^\[([^\]]+)\]:(\d+)$|^([^:[\]]+):(\d+)$/.exec(server);
    const address = match === null ? server : (match[1] ?? match[3] ?? '');
    const port = Number(match === null ? 53 : (match[2] ?? match[4]));
    return isIP(address) !== 0 && port > 0 && port <= 65535;
  };
  return servers.every(valid)
    ? { value: servers }
    : 'expected IP addresses separated by commas, each with an optional port (192.0.2.53:53, [2001:db8::53]:53)';
}

/**
 * The HTTP listen address as a URL: the default public URL, so links in notices open the origin the
 * service serves (another origin, localhost for 127.0.0.1, would need a second sign-in). A wildcard
 * address names no host to link to: the machine's name stands in for it.
 */
function listenUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? hostname() : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

function parseLogFormat(raw: string): { value: LogFormat } | string {
  return raw === 'json' || raw === 'pretty' ? { value: raw } : 'expected json or pretty';
}

function parsePort(raw: string): { value: number } | string {
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= 0 && n <= 65535 ? { value: n } : 'expected a port number from 0 to 65535';
}

function parseUrl(raw: string, protocols: readonly string[]): { value: URL } | string {
  try {
    const url = new URL(raw);
    if (protocols.includes(url.protocol)) return { value: url };
  } catch {
    // not a URL at all: reported below
  }
  return `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
}

let loaded: Config | undefined;

/** The process's configuration, parsed from process.env on first use. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
