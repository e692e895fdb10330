// `touchmail start` as an operator meets it: the demo loaded once and kept, and a start that cannot
// come up failing at once with one line naming the variable (exit 2), never hanging half-started.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { freePort } from '../support/smtp-client.js';
import { tempDir } from '../support/stores.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));

interface Started {
  readonly out: string;
  readonly err: string;
  /** The exit code, or null while it runs. */
  readonly status: number | null;
  stop(): Promise<void>;
}

/** Runs `touchmail start ARGS` until `ready` matches its stdout or stderr, or until it exits. */
async function start(args: readonly string[], env: Record<string, string>, ready: RegExp): Promise<Started> {
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('TOUCHMAIL_')) inherited[k] = v;
  const child = spawn(process.execPath, [BIN, 'start', ...args], {
    env: { ...inherited, TOUCHMAIL_SMTP_PORT: '0', TOUCHMAIL_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let status: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      status = code;
      if (signal !== null) err += `killed by ${signal}`;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${out} ${err}`)), 60_000);
    const check = () => {
      if (ready.test(out) || ready.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      check();
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    out,
    get err() {
      return err;
    },
    get status() {
      return status;
    },
    async stop() {
      if (status === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('touchmail start --demo', () => {
  it('loads the demo only once: a second start keeps what an admin changed', async () => {
    const path = join(tempDir(), 'demo.db');
    const env = { TOUCHMAIL_DATABASE: `sqlite:${path}`, TOUCHMAIL_HTTP_PORT: String(await freePort()) };
    const first = await start(['--demo'], env, /password: .+\n/);
    await first.stop();
    expect(first.status, first.err).toBe(0);

    const store = await openStore({ kind: 'sqlite', path });
    try {
      await store.db
        .updateTable('workspaces')
        .set({ sender_auth_policy: 'dmarc', default_reason: 'Renewal' })
        .where('id', '=', 'demo')
        .execute();
      await store.db
        .updateTable('accounts')
        .set({ name: 'Globex Inc.', default_bcc: 1 })
        .where('workspace_id', '=', 'demo')
        .where('id', '=', 'globex')
        .execute();
    } finally {
      await store.close();
    }

    const second = await start(['--demo'], env, /password: .+\n/);
    await second.stop();
    expect(second.out).toContain('as printed at the first start');

    const after = await openStore({ kind: 'sqlite', path });
    try {
      const ws = await after.db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', 'demo')
        .executeTakeFirst();
      expect(ws).toMatchObject({ sender_auth_policy: 'dmarc', default_reason: 'Renewal' });
      const globex = await after.db
        .selectFrom('accounts')
        .selectAll()
        .where('workspace_id', '=', 'demo')
        .where('id', '=', 'globex')
        .executeTakeFirst();
      expect(globex).toMatchObject({ name: 'Globex Inc.', default_bcc: 1 });
    } finally {
      await after.close();
    }
  });
});

describe('touchmail start logs', () => {
  it('writes readable lines when TOUCHMAIL_LOG_FORMAT=pretty', async () => {
    const env = {
      TOUCHMAIL_DATABASE: `sqlite:${join(tempDir(), 'log.db')}`,
      TOUCHMAIL_HTTP_PORT: String(await freePort()),
      TOUCHMAIL_LOG_LEVEL: 'info',
      TOUCHMAIL_LOG_FORMAT: 'pretty',
    };
    const run = await start(['--demo'], env, /password: .+\n/);
    await run.stop();
    expect(run.err).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}HTTP listening port=\d+ host=127\.0\.0\.1$/m);
    expect(run.err).not.toContain('{"level"');
  });
});

describe('touchmail start that cannot come up', () => {
  /** Starts with `env` and expects it to give up: exit 2 within seconds, one line naming `variable`. */
  const expectRefusal = async (env: Record<string, string>, variable: string, cause: RegExp) => {
    const began = Date.now();
    const run = await start([], { TOUCHMAIL_DATABASE: `sqlite:${join(tempDir(), 'd.db')}`, ...env }, /never/);
    const seconds = (Date.now() - began) / 1000;
    await run.stop();
    expect(run.status, run.err).toBe(2);
    expect(seconds).toBeLessThan(15);
    const lines = run.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^touchmail: ${variable}: `));
    expect(lines[0]).toMatch(cause);
  };

  it('exits 2 naming TOUCHMAIL_SMTP_PORT when the SMTP port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expectRefusal(
        { TOUCHMAIL_SMTP_PORT: String(port), TOUCHMAIL_HTTP_PORT: String(await freePort()) },
        'TOUCHMAIL_SMTP_PORT',
        /already in use/,
      );
    } finally {
      taken.close();
    }
  });

  it('exits 2 naming TOUCHMAIL_HTTP_PORT when the HTTP port is taken, SMTP already listening', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expectRefusal(
        { TOUCHMAIL_SMTP_PORT: String(await freePort()), TOUCHMAIL_HTTP_PORT: String(port) },
        'TOUCHMAIL_HTTP_PORT',
        /already in use/,
      );
    } finally {
      taken.close();
    }
  });

  it('exits 2 naming TOUCHMAIL_HOST when the host does not resolve', async () => {
    await expectRefusal(
      { TOUCHMAIL_HOST: 'no-such-host.invalid', TOUCHMAIL_HTTP_PORT: String(await freePort()) },
      'TOUCHMAIL_HOST',
      /does not resolve/,
    );
  });

  it('exits 2 naming TOUCHMAIL_DATABASE when the database cannot be opened', async () => {
    const notADirectory = join(tempDir(), 'a-file');
    writeFileSync(notADirectory, '');
    await expectRefusal(
      { TOUCHMAIL_DATABASE: `sqlite:${notADirectory}/touchmail.db`, TOUCHMAIL_HTTP_PORT: '0' },
      'TOUCHMAIL_DATABASE',
      /cannot be opened/,
    );
  });
});

describe('touchmail init', () => {
  it('creates a workspace and its first admin, who then signs in', async () => {
    const path = join(tempDir(), 'init.db');
    const httpPort = await freePort();
    const env = { TOUCHMAIL_DATABASE: `sqlite:${path}`, TOUCHMAIL_HTTP_PORT: String(httpPort) };
    const run = cli(env);
    const args = ['init', '--workspace', 'acme', '--name', 'Acme', '--address', 'tp@acme.example'];
    const created = run([...args, '--admin', 'Ann@Acme.example'], 'a first admin passphrase\n');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain(`Sign in at http://127.0.0.1:${httpPort}/ as ann@acme.example`);

    const again = run([...args, '--admin', 'ann@acme.example'], 'a first admin passphrase\n');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('workspace acme exists already');

    const service = await start(
      [],
      { ...env, TOUCHMAIL_LOG_LEVEL: 'info', TOUCHMAIL_LOG_FORMAT: 'json' },
      /Touchmail started/,
    );
    try {
      const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ann@acme.example', password: 'a first admin passphrase' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ login: { workspaceId: 'acme', role: 'admin' } });
    } finally {
      await service.stop();
    }
  });

  it('refuses a short password before writing anything', () => {
    const run = cli();
    const args = [
      'init',
      '--workspace',
      'w',
      '--name',
      'W',
      '--address',
      'tp@w.example',
      '--admin',
      'a@w.example',
    ];
    const refused = run(args, 'short\n');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('at least 12');
    expect(run(args, 'long enough passphrase\n').status).toBe(0);
  });
});
