// End to end through the `touchmail` command: `login password` (from standard input), `token list`, and
// `start --demo` printing how to sign in, then signing in over HTTP with what it printed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/app/password-hash.js';
import { listAudit } from '../../src/store/audit-repository.js';
import { getPasswordHash } from '../../src/store/login-repository.js';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { freePort } from '../support/smtp-client.js';
import { tempDir } from '../support/stores.js';
import { FIXTURES } from '../support/workspace.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));

describe('touchmail login password and token list', () => {
  const path = join(tempDir(), 'touchmail.db');
  const run = cli({ TOUCHMAIL_DATABASE: `sqlite:${path}` });
  beforeAll(() => {
    expect(run(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
  });
  const storedHash = async () => {
    const store = await openStore({ kind: 'sqlite', path });
    try {
      return await getPasswordHash(store.db, { workspaceId: 'acme', email: 'sam@acme.com' });
    } finally {
      await store.close();
    }
  };

  it('sets a password read from standard input, hashed', async () => {
    const result = run(
      ['login', 'password', '--workspace', 'acme', '--email', 'Sam@Acme.com'],
      'a cli passphrase!\n',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const hash = await storedHash();
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('a cli passphrase!', hash ?? '')).toBe(true);
  });

  it('refuses a short password and an unknown login, changing nothing', async () => {
    const before = await storedHash();
    const short = run(['login', 'password', '--workspace', 'acme', '--email', 'sam@acme.com'], 'short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 12');
    const unknown = run(
      ['login', 'password', '--workspace', 'acme', '--email', 'ghost@acme.com'],
      'long enough password\n',
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no login ghost@acme.com');
    expect(await storedHash()).toBe(before);
  });

  it('lists tokens without their secrets, revoked ones on request', () => {
    const created = run(['token', 'create', '--workspace', 'acme', '--role', 'admin', '--name', 'ops']);
    const secret = created.stdout.trim();
    const id = /Token (\S+)/.exec(created.stderr)?.[1] ?? '';
    const listed = run(['token', 'list', '--workspace', 'acme']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${id}\tadmin\t-\t`);
    expect(listed.stdout).toContain('\tactive\tops');
    expect(listed.stdout).not.toContain(secret);
    expect(run(['token', 'revoke', id]).status).toBe(0);
    expect(run(['token', 'list', '--workspace', 'acme']).stdout).not.toContain(id);
    expect(run(['token', 'list', '--workspace', 'acme', '--revoked']).stdout).toContain(`${id}\tadmin`);
  });

  it('audits a token created and revoked from the command line, never its secret', async () => {
    const created = run(['token', 'create', '--workspace', 'acme', '--role', 'member', '--name', 'script']);
    expect(created.status).toBe(0);
    const secret = created.stdout.trim();
    const id = /Token (\S+)/.exec(created.stderr)?.[1] ?? '';
    expect(run(['token', 'revoke', id]).status).toBe(0);
    const store = await openStore({ kind: 'sqlite', path });
    try {
      const audit = await listAudit(store.db, 'acme', { limit: 50 });
      const entries = audit.filter((e) => e.subject === id);
      expect(entries.map((e) => [e.action, e.actor]).sort()).toEqual([
        ['token.create', 'cli'],
        ['token.revoke', 'cli'],
      ]);
      expect(JSON.stringify(entries)).not.toContain(secret);
    } finally {
      await store.close();
    }
  });
});

describe('touchmail start --demo', () => {
  it('prints the sign-in of the demo admin once, and the password it prints signs in', async () => {
    const database = `sqlite:${join(tempDir(), 'demo.db')}`;
    const start = async () => {
      const httpPort = await freePort();
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !k.startsWith('TOUCHMAIL_')) env[k] = v;
      const child = spawn(process.execPath, [BIN, 'start', '--demo'], {
        env: {
          ...env,
          TOUCHMAIL_DATABASE: database,
          TOUCHMAIL_SMTP_PORT: '0',
          TOUCHMAIL_HTTP_PORT: String(httpPort),
          TOUCHMAIL_LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sign-in printed: ${out}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/password: .+\n/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      return { child, out, httpPort };
    };
    const first = await start();
    try {
      expect(first.out).toContain(`sign in at http://127.0.0.1:${first.httpPort}/`);
      expect(first.out).toContain('email:    jill@demo.example');
      const password = /password: (\S+)\n/.exec(first.out)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(12);
      const response = await fetch(`http://127.0.0.1:${first.httpPort}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'jill@demo.example', password }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ login: { workspaceId: 'demo', role: 'admin' } });
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
    const second = await start();
    try {
      expect(second.out).toContain('as printed at the first start');
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  });
});
