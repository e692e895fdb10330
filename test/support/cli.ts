// Runs the built `touchmail` command as a user would, with its own database.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './stores.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI bound to a fresh SQLite file; `env` adds or overrides variables. */
export function cli(env: Record<string, string> = {}) {
  const database = `sqlite:${join(tempDir(), 'touchmail.db')}`;
  const baseEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !key.startsWith('TOUCHMAIL_')) baseEnv[key] = value;
  return (args: readonly string[], input?: string | Buffer): CliResult => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      env: {
        ...baseEnv,
        TOUCHMAIL_DATABASE: database,
        TOUCHMAIL_SMTP_PORT: '0',
        TOUCHMAIL_HTTP_PORT: '0',
        ...env,
      },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}
