// The `touchmail` command line: one subcommand per file, all run with the same environment.
import { Command } from 'commander';
import { withContext } from './context.js';
import { importCommand } from './import.js';
import { startCommand } from './start.js';

const program = new Command('touchmail')
  .description('Turns email into customer touchpoints.')
  .showHelpAfterError();

program
  .command('start')
  .description('run SMTP intake, workers, outbox and the HTTP API/UI in one process')
  .option('--demo', 'load a small demo workspace first', false)
  .action((options: { demo: boolean }) => withContext((context) => startCommand(context, options)));

program
  .command('import')
  .description('load a workspace document (JSON): creates or updates, idempotent')
  .argument('<file>', 'workspace document, or - for standard input')
  .action((file: string) => withContext((context) => importCommand(context, file)));

await program.parseAsync(process.argv);
