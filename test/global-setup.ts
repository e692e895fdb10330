// Builds the CLI and the web UI once before the suites that run `touchmail` as a process or load the UI
// in a browser, so they never test stale code.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const project of ['tsconfig.build.json', 'web/tsconfig.json'])
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', project],
      { cwd: root, stdio: 'inherit' },
    );
}
