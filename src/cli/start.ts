// `touchmail start [--demo]`: the service in one process (HTTP for now; intake and workers join it).
import { DEMO_WORKSPACE } from '../app/demo-workspace.js';
import { importWorkspace } from '../app/import-workspace.js';
import { buildHttpServer } from '../http/server.js';
import type { CommandContext } from './context.js';

export async function startCommand({ config, logger, store }: CommandContext, options: { demo: boolean }) {
  if (options.demo) {
    const result = await importWorkspace(store, DEMO_WORKSPACE, new Date());
    if (!result.ok) throw new Error(`demo workspace rejected: ${JSON.stringify(result.problems)}`);
    logger.info(
      { workspace: 'demo', touchpointAddress: DEMO_WORKSPACE.workspace.touchpointAddresses?.[0] },
      'demo workspace loaded',
    );
  }
  const http = config.httpPort === 0 ? null : buildHttpServer({ store, logger });
  if (http !== null) {
    const address = await http.listen({ host: config.host, port: config.httpPort });
    logger.info({ address }, 'HTTP listening');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void (async () => {
      await http?.close();
      await store.close();
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 'keep-open' as const;
}
