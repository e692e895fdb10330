// The `touchmail` command line: one subcommand per file, all run with the same environment.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { withContext } from './context.js';
import { eraseCommand } from './erase.js';
import { importCommand } from './import.js';
import { initCommand, type InitOptions } from './init.js';
import { migrateStoreCommand } from './migrate-store.js';
import { ingestCommand, type MessageOptions } from './ingest.js';
import { startCommand, type StartOptions } from './start.js';
import { loginPasswordCommand } from './login.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token.js';

const program = new Command('touchmail')
  .description('Turns email into customer touchpoints.')
  .version(packageVersion(), '-V, --version', 'print the package version')
  .showHelpAfterError();

program
  .command('start')
  .description('run SMTP intake, workers, outbox and the HTTP API/UI in one process')
  .option('--demo', 'load a small demo workspace first', false)
  .option(
    '--roles <roles>',
    'what this node runs: smtp (SMTP and IMAP intake), worker, api',
    'smtp,worker,api',
  )
  .action((options: StartOptions) => withContext((context) => startCommand(context, options)));

program
  .command('init')
  .description('create a first workspace and its admin; the password is read from standard input or a prompt')
  .requiredOption('--workspace <id>', 'the new workspace id')
  .requiredOption('--name <name>', 'its display name')
  .requiredOption('--address <email>', 'its touchpoint address (mail sent, Cc’d or Bcc’d to it is recorded)')
  .requiredOption('--admin <email>', "the first admin's email; its domain is the team's (internal)")
  .action((options: InitOptions) => withContext((context) => initCommand(context, options)));

const token = program.command('token').description('API tokens of a workspace');
token
  .command('create')
  .description('create a token and print it (once)')
  .requiredOption('--workspace <id>', 'the workspace the token is for')
  .option('--role <role>', 'admin, member or intake (may only deliver mail)', 'member')
  .option('--name <name>', 'a name to recognise it by')
  .option('--login <email>', 'the login user it acts for')
  .action((options: { workspace: string; role: string; name?: string; login?: string }) =>
    withContext((context) => tokenCreateCommand(context, options)),
  );
token
  .command('list')
  .description('list the tokens of a workspace: id, role, login, created, state, name (never the secret)')
  .requiredOption('--workspace <id>', 'the workspace')
  .option('--revoked', 'include revoked tokens', false)
  .action((options: { workspace: string; revoked: boolean }) =>
    withContext((context) => tokenListCommand(context, options)),
  );
token
  .command('revoke')
  .description('revoke a token by its id')
  .argument('<id>', 'the token id printed at creation')
  .action((id: string) => withContext((context) => tokenRevokeCommand(context, id)));

const login = program.command('login').description('login users (team members) of a workspace');
login
  .command('password')
  .description("set a login's password for the web UI, read from standard input or a prompt")
  .requiredOption('--workspace <id>', 'the workspace')
  .requiredOption('--email <email>', "the login's email")
  .action((options: { workspace: string; email: string }) =>
    withContext((context) => loginPasswordCommand(context, options)),
  );

program
  .command('erase')
  .description('erase a person (SPEC §11): prints what was removed as JSON')
  .requiredOption('--workspace <id>', 'the workspace')
  .requiredOption('--email <email>', "the person's email address")
  .action((options: { workspace: string; email: string }) =>
    withContext((context) => eraseCommand(context, options)),
  );

program
  .command('import')
  .description('load a workspace document (JSON): creates or updates, idempotent')
  .argument('<file>', 'workspace document, or - for standard input')
  .action((file: string) => withContext((context) => importCommand(context, file)));

program
  .command('migrate-store')
  .description('copy this store (TOUCHMAIL_DATABASE) into a new, empty one; stop the service first')
  .requiredOption('--to <database>', 'the target: a postgres:// URL or sqlite:PATH')
  .action((options: { to: string }) => withContext((context) => migrateStoreCommand(context, options.to)));

for (const mode of ['ingest', 'resolve'] as const) {
  const command = program
    .command(mode)
    .description(
      mode === 'ingest'
        ? 'ingest one raw message exactly as SMTP would (stored, then processed) and print the outcome'
        : 'dry run: the outcome ingest would give; nothing stored or sent',
    )
    .argument('<file>', 'raw message (.eml), or - for standard input')
    .option(
      '--rcpt <address>',
      'envelope recipient (a touchpoint address); default: found in To/Cc/Delivered-To',
    );
  if (mode === 'ingest') command.option('--mail-from <address>', 'envelope sender; "<>" for the null sender');
  command
    .option('--json', 'print one outcome object (JSON) on stdout')
    .action((file: string, options: MessageOptions) =>
      withContext((context) => ingestCommand(context, file, options, mode)),
    );
}

await program.parseAsync(process.argv);

/** The version of the installed package (dist/cli → the package root's package.json). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' &&
    parsed !== null &&
    'version' in parsed &&
    typeof parsed.version === 'string'
    ? parsed.version
    : 'unknown';
}
