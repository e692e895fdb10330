// `touchmail login password --workspace WS --email EMAIL`: sets a login's password for the web UI, read
// from standard input (a pipe or file) or typed at a prompt that does not echo it.
import { setLoginPassword } from '../app/login-users.js';
import { normalizeEmail } from '../domain/address.js';
import type { CommandContext } from './context.js';
import { readInput } from './read-input.js';

/** Reads a line from the terminal without showing it. */
async function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            reject(new Error('cancelled'));
            return;
          }
          typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** A new password: typed twice at a terminal (null when they differ), else one line of standard input. */
export async function readPassword(): Promise<string | null> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('New password: ');
    const again = await promptHidden('Again: ');
    return first === again ? first : null;
  }
  // One line from a pipe or file: its line ending is not part of the password.
  return (await readInput('-')).toString('utf8').replace(/\r?\n$/, '');
}

export async function loginPasswordCommand(
  { store }: CommandContext,
  options: { workspace: string; email: string },
): Promise<number> {
  const email = normalizeEmail(options.email);
  if (email === null) {
    process.stderr.write(`touchmail login password: --email ${options.email} is not an email address\n`);
    return 1;
  }
  const password = await readPassword();
  if (password === null) {
    process.stderr.write('touchmail login password: the two passwords differ\n');
    return 1;
  }
  const result = await setLoginPassword(store, options.workspace, email, password, {
    actor: 'cli',
    now: new Date(),
  });
  if (!result.ok) {
    const message =
      result.code === 'not-found' ? `no login ${email} in workspace ${options.workspace}` : result.message;
    process.stderr.write(`touchmail login password: ${message}\n`);
    return 1;
  }
  process.stdout.write(
    `Password of ${email} in workspace ${options.workspace} set; its other sessions ended.\n`,
  );
  return 0;
}
