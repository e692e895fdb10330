import { availableParallelism, hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { logFormatFor } from '../src/logger.js';

const parse = (env: Record<string, string>) => parseConfig(env, '/srv/touchmail');
const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('has the defaults of INTERFACE.md', () => {
    const config = parse({});
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/touchmail/data/touchmail.db' });
    expect(config.smtpPort).toBe(2525);
    expect(config.httpPort).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.outboundSmtp).toBeNull();
    expect(config.publicUrl.href).toBe('http://127.0.0.1:8080/');
    expect(config.adminToken).toBeNull();
    expect(config.noticeRateLimit).toBe(10);
    expect(config.apiRateLimit).toBe(600);
  });

  it('links notices to the address the service listens on unless TOUCHMAIL_PUBLIC_URL says otherwise', () => {
    expect(parse({ TOUCHMAIL_HOST: '192.0.2.7', TOUCHMAIL_HTTP_PORT: '9090' }).publicUrl.href).toBe(
      'http://192.0.2.7:9090/',
    );
    expect(parse({ TOUCHMAIL_HOST: '::1' }).publicUrl.href).toBe('http://[::1]:8080/');
    expect(parse({ TOUCHMAIL_HOST: '0.0.0.0' }).publicUrl.hostname).toBe(hostname().toLowerCase());
    expect(
      parse({ TOUCHMAIL_HOST: '0.0.0.0', TOUCHMAIL_PUBLIC_URL: 'https://tm.acme.com' }).publicUrl.href,
    ).toBe('https://tm.acme.com/');
  });

  it('logs readable lines on a terminal and JSON otherwise unless TOUCHMAIL_LOG_FORMAT says which', () => {
    expect(parse({}).logFormat).toBeNull();
    expect(parse({ TOUCHMAIL_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(parse({ TOUCHMAIL_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(problemsOf({ TOUCHMAIL_LOG_FORMAT: 'yaml' })[0]).toContain('TOUCHMAIL_LOG_FORMAT');
    expect(logFormatFor(null, true)).toBe('pretty');
    expect(logFormatFor(null, false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
  });

  it('evaluates in one thread per core but one by default; 0 keeps evaluation in the main thread', () => {
    expect(parse({}).evaluationThreads).toBe(Math.min(64, availableParallelism() - 1));
    expect(parse({ TOUCHMAIL_EVALUATION_THREADS: '0' }).evaluationThreads).toBe(0);
    expect(parse({ TOUCHMAIL_EVALUATION_THREADS: '3' }).evaluationThreads).toBe(3);
  });

  it('asks the system’s DNS servers by default, or the listed ones', () => {
    expect(parse({}).dnsServers).toEqual([]);
    expect(
      parse({ TOUCHMAIL_DNS_SERVERS: '192.0.2.53, 127.0.0.1:5353, [2001:db8::53]:53' }).dnsServers,
    ).toEqual(['192.0.2.53', '127.0.0.1:5353', '[2001:db8::53]:53']);
  });

  it('divides the PostgreSQL connection budget: half stays with the service, the threads share the rest', () => {
    const pgEnv = { TOUCHMAIL_DATABASE: 'postgres://db.internal/touchmail' };
    expect(parse({ ...pgEnv, TOUCHMAIL_EVALUATION_THREADS: '2' }).postgresPool).toEqual({
      size: 10,
      main: 6,
      perThread: 2,
    });
    expect(
      parse({ ...pgEnv, TOUCHMAIL_PG_POOL_SIZE: '6', TOUCHMAIL_EVALUATION_THREADS: '3' }).postgresPool,
    ).toEqual({ size: 6, main: 3, perThread: 1 });
    expect(parse({ ...pgEnv, TOUCHMAIL_EVALUATION_THREADS: '0' }).postgresPool).toMatchObject({ main: 10 });
    // By default no more threads than half the budget: one connection each at least.
    expect(parse(pgEnv).evaluationThreads).toBe(Math.min(5, availableParallelism() - 1));
    const problems = problemsOf({ ...pgEnv, TOUCHMAIL_EVALUATION_THREADS: '6' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('TOUCHMAIL_PG_POOL_SIZE=10');
    // SQLite opens no pool: the threads are not bounded by it.
    expect(parse({ TOUCHMAIL_EVALUATION_THREADS: '6' }).evaluationThreads).toBe(6);
  });

  it('is frozen', () => {
    const config = parse({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('reads every variable', () => {
    const config = parse({
      TOUCHMAIL_DATABASE: 'postgres://tm@db.internal:5432/touchmail',
      TOUCHMAIL_SMTP_PORT: '0',
      TOUCHMAIL_HTTP_PORT: '9000',
      TOUCHMAIL_HOST: '0.0.0.0',
      TOUCHMAIL_OUTBOUND_SMTP: 'smtp://relay.internal:25',
      TOUCHMAIL_PUBLIC_URL: 'https://touchmail.acme.com',
      TOUCHMAIL_ADMIN_TOKEN: 'a-long-enough-admin-token',
      TOUCHMAIL_NOTICE_RATE_LIMIT: '3',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://tm@db.internal:5432/touchmail' });
    expect(config.smtpPort).toBe(0);
    expect(config.httpPort).toBe(9000);
    expect(config.outboundSmtp?.host).toBe('relay.internal:25');
    expect(config.adminToken).toBe('a-long-enough-admin-token');
    expect(config.noticeRateLimit).toBe(3);
  });

  it.each([
    ['TOUCHMAIL_SMTP_PORT', 'abc'],
    ['TOUCHMAIL_SMTP_PORT', '70000'],
    ['TOUCHMAIL_HTTP_PORT', '-1'],
    ['TOUCHMAIL_DATABASE', 'mysql://x'],
    ['TOUCHMAIL_DATABASE', 'sqlite:'],
    ['TOUCHMAIL_OUTBOUND_SMTP', 'http://relay'],
    ['TOUCHMAIL_PUBLIC_URL', 'not a url'],
    ['TOUCHMAIL_ADMIN_TOKEN', 'short'],
    ['TOUCHMAIL_HOST', 'bad host!'],
    ['TOUCHMAIL_LOG_LEVEL', 'loud'],
    ['TOUCHMAIL_MAX_MESSAGE_BYTES', '12'],
    ['TOUCHMAIL_NOTICE_RATE_LIMIT', '0'],
    ['TOUCHMAIL_NOTICE_RATE_LIMIT', 'ten'],
    ['TOUCHMAIL_API_RATE_LIMIT', 'lots'],
    ['TOUCHMAIL_EVALUATION_THREADS', 'many'],
    ['TOUCHMAIL_EVALUATION_THREADS', '65'],
    ['TOUCHMAIL_DNS_SERVERS', 'dns.example'],
    ['TOUCHMAIL_DNS_SERVERS', '192.0.2.53:99999'],
    ['TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', 'http://127.0.0.1'],
    ['TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', '127.0.0.1:8080'],
    ['TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', '*.internal'],
    ['TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', 'sf.internal/path'],
    ['TOUCHMAIL_SALESFORCE_EXTRA_HOSTS', 'a.internal,,b.internal'],
    ['TOUCHMAIL_PG_POOL_SIZE', '1'],
    ['TOUCHMAIL_PG_POOL_SIZE', 'ten'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('lets the Salesforce sync call only Salesforce, unless the operator lists more hosts', () => {
    expect(parse({}).salesforceExtraHosts).toEqual([]);
    expect(
      parse({ TOUCHMAIL_SALESFORCE_EXTRA_HOSTS: '127.0.0.1, SF-Double.internal,[::1]' }).salesforceExtraHosts,
    ).toEqual(['127.0.0.1', 'sf-double.internal', '[::1]']);
  });

  it('reads the secret key as hex or base64, 32 bytes, and never echoes a wrong one', () => {
    const key = Buffer.alloc(32, 7);
    expect(parse({ TOUCHMAIL_SECRET_KEY: key.toString('hex') }).secretKey).toEqual(key);
    expect(parse({ TOUCHMAIL_SECRET_KEY: key.toString('base64') }).secretKey).toEqual(key);
    expect(parse({}).secretKey).toBeNull();
    const problems = problemsOf({ TOUCHMAIL_SECRET_KEY: 'hunter2-too-short' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('TOUCHMAIL_SECRET_KEY');
    expect(problems[0]).not.toContain('hunter2');
    expect(problemsOf({ TOUCHMAIL_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toHaveLength(1);
  });

  it.each([
    ['TOUCHMAIL_ADMIN_TOKEN', 'hunter2-short'],
    ['TOUCHMAIL_DATABASE', 'mysql://app:hunter2-pw@db'],
    ['TOUCHMAIL_OUTBOUND_SMTP', 'http://app:hunter2-pw@relay'],
    ['TOUCHMAIL_IMAP_URL', 'https://app:hunter2-pw@mail'],
  ])('names %s when it is wrong but never echoes its value (a secret)', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).not.toContain('hunter2');
  });

  it('rejects an unknown TOUCHMAIL_ variable (a typo) but leaves the tests’ own alone', () => {
    expect(problemsOf({ TOUCHMAIL_DATABSE: 'sqlite:x.db' })[0]).toContain(
      'TOUCHMAIL_DATABSE: unknown variable',
    );
    expect(problemsOf({ TOUCHMAIL_TEST_PG_URL: 'postgres://x' })).toEqual([]);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ TOUCHMAIL_SMTP_PORT: 'x', TOUCHMAIL_HTTP_PORT: 'y' })).toHaveLength(2);
  });
});
