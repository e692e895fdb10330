// `touchmail start [--demo] [--roles smtp,worker,api]`: the service in one process, or the roles of it
// this node runs when several share one PostgreSQL.
import { DEMO_ADMIN, ensureDemoPassword } from '../app/demo-sign-in.js';
import { DEMO_WORKSPACE } from '../app/demo-workspace.js';
import { importWorkspace } from '../app/import-workspace.js';
import { ROLES, startService, type Role } from '../service.js';
import { workspaceExists } from '../store/workspace-repository.js';
import type { CommandContext } from './context.js';

export interface StartOptions {
  readonly demo: boolean;
  readonly roles: string;
}

export function parseRoles(text: string): Set<Role> | string {
  const roles = new Set<Role>();
  for (const name of text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')) {
    const role = ROLES.find((r) => r === name);
    if (role === undefined) return `unknown role "${name}" (roles: ${ROLES.join(', ')})`;
    roles.add(role);
  }
  return roles.size === 0 ? `no role given (roles: ${ROLES.join(', ')})` : roles;
}

export async function startCommand({ config, logger, store }: CommandContext, options: StartOptions) {
  const roles = parseRoles(options.roles);
  if (typeof roles === 'string') {
    process.stderr.write(`touchmail start: --roles: ${roles}\n`);
    return 1;
  }
  let demoPassword: string | null | undefined;
  if (options.demo) {
    // Loaded once: a later start must not re-import the demo over what an admin changed since (an
    // account's name, the default-BCC flag, the sender-authentication policy back to `off`).
    if (await workspaceExists(store.db, DEMO_ADMIN.workspaceId)) {
      logger.info({ workspace: DEMO_ADMIN.workspaceId }, 'demo workspace already present: kept as it is');
    } else {
      const result = await importWorkspace(store, DEMO_WORKSPACE, new Date(), { actor: 'demo' });
      if (!result.ok) throw new Error(`demo workspace rejected: ${JSON.stringify(result.problems)}`);
      logger.info(
        { workspace: 'demo', touchpointAddress: DEMO_WORKSPACE.workspace.touchpointAddresses?.[0] },
        'demo workspace loaded',
      );
    }
    demoPassword = await ensureDemoPassword(store, new Date());
  }
  const service = await startService(config, logger, store, roles);
  logger.info(
    { roles: [...roles], smtpPort: service.smtpPort, httpPort: service.httpPort },
    'Touchmail started',
  );
  // Before the sign-in is printed: whoever waits for it may stop the service at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new mail; finishing sessions and work in hand');
    void (async () => {
      try {
        await service.stop();
        await store.close();
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      }
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (demoPassword !== undefined && service.httpPort !== null) {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${service.httpPort}/`;
    const password =
      demoPassword ??
      `(as printed at the first start; set a new one: touchmail login password --workspace ${DEMO_ADMIN.workspaceId} --email ${DEMO_ADMIN.email})`;
    process.stdout.write(
      `\nTouchmail demo: sign in at ${url}\n  email:    ${DEMO_ADMIN.email}\n  password: ${password}\n\n`,
    );
  }
  return 'keep-open' as const;
}
