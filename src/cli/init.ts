// `touchmail init --workspace ID --name NAME --address ADDR --admin EMAIL`: a first real workspace
// without writing a document — its touchpoint address, its team's domain and a first admin, whose
// password is read from standard input (or a hidden prompt) and checked before anything is written.
import { importWorkspace } from '../app/import-workspace.js';
import { setLoginPassword } from '../app/login-users.js';
import { passwordProblem } from '../app/password-hash.js';
import { normalizeEmail } from '../domain/address.js';
import { workspaceExists } from '../store/workspace-repository.js';
import type { CommandContext } from './context.js';
import { readPassword } from './login.js';

export interface InitOptions {
  readonly workspace: string;
  readonly name: string;
  readonly address: string;
  readonly admin: string;
}

export async function initCommand({ config, store }: CommandContext, options: InitOptions): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`touchmail init: ${message}\n`);
    return 1;
  };
  const admin = normalizeEmail(options.admin);
  if (admin === null) return fail(`--admin ${options.admin} is not an email address`);
  if (normalizeEmail(options.address) === null)
    return fail(`--address ${options.address} is not an email address`);
  if (await workspaceExists(store.db, options.workspace))
    return fail(`workspace ${options.workspace} exists already (change it with touchmail import)`);
  const password = await readPassword();
  if (password === null) return fail('the two passwords differ');
  const weak = passwordProblem(password);
  if (weak !== null) return fail(weak);

  const now = new Date();
  const imported = await importWorkspace(
    store,
    {
      workspace: {
        id: options.workspace,
        name: options.name,
        touchpointAddresses: [options.address],
        // The admin's own domain is the team's (SPEC §1: internal domains): its people are not customers.
        internalDomains: [admin.slice(admin.lastIndexOf('@') + 1)],
      },
      logins: [{ email: admin, role: 'admin' }],
    },
    now,
    { actor: 'cli' },
  );
  if (!imported.ok) return fail(imported.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const set = await setLoginPassword(store, options.workspace, admin, password, { actor: 'cli', now });
  if (!set.ok) return fail(set.message);
  process.stdout.write(
    `Created workspace ${options.workspace} (${options.name}).\n` +
      `  Mail to, Cc or Bcc: ${options.address}\n` +
      `  Sign in at ${config.publicUrl.href} as ${admin}\n` +
      `  Add accounts, customers and team members in the web UI or with touchmail import (docs/WORKSPACE-DOCUMENT.md).\n`,
  );
  return 0;
}
