// A real Dovecot IMAP server (Debian's dovecot-imapd) on loopback, with one mailbox user, for the IMAP
// intake tests. Without the binary the suite skips locally and says so; CI installs it and never skips.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { freePort } from './smtp-client.js';
import { tempDir } from './stores.js';

export const DOVECOT = '/usr/sbin/dovecot';
export const HAVE_DOVECOT = existsSync(DOVECOT);
if (!HAVE_DOVECOT && process.env.CI !== undefined)
  throw new Error('CI must install dovecot-imapd: the IMAP tests may not be skipped there');
if (!HAVE_DOVECOT)
  process.stderr.write(`IMAP suites skipped: ${DOVECOT} is not installed (apt-get install dovecot-imapd)\n`);

export interface Dovecot {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  stop(): void;
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = tempDir('touchmail-dovecot-');
  chmodSync(dir, 0o755); // mkdtemp makes it 0700: Dovecot's unprivileged processes must reach their sockets
  const port = await freePort();
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub));
  chmodSync(join(dir, 'home'), 0o777); // mail is stored as the dovecot user
  writeFileSync(join(dir, 'passwd'), 'touch:{PLAIN}secret\n');
  const config = join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      'default_internal_user = dovecot',
      'first_valid_uid = 100',
      'default_login_user = dovenull',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/passwd\n}`,
      `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${dir}/home/%u\n}`,
      'mail_location = maildir:~/Maildir',
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      '',
    ].join('\n'),
  );
  // The master daemonizes: its children would hold captured pipes open, so nothing is captured.
  const started = spawnSync(DOVECOT, ['-c', config], { stdio: 'ignore' });
  if (started.status !== 0)
    throw new Error(`dovecot did not start (exit ${started.status}); see ${dir}/dovecot.log`);
  await untilListening(port);
  return {
    port,
    user: 'touch',
    password: 'secret',
    stop: () => void spawnSync(DOVECOT, ['-c', config, 'stop'], { stdio: 'ignore' }),
  };
}

/** Dovecot's master returns before its listener is up: wait for a connection to succeed. */
async function untilListening(port: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot is not listening on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
