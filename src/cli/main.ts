// The `touchmail` command line: one subcommand per file, all run with the same environment.
import { Command } from 'commander';
import { withContext } from './context.js';
import { importCommand } from './import.js';
import { ingestCommand, type MessageOptions } from './ingest.js';
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
