// A real service (startService) on a fresh store with the fixture workspace, on free ports.
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startService, type Role, type RunningService } from '../../src/service.js';
import type { Store } from '../../src/store/store.js';
import { freePort } from './smtp-client.js';
import { STORE_KINDS, type StoreKind } from './stores.js';
import { loadFixtureWorkspace } from './workspace.js';

export interface TestService {
  readonly service: RunningService;
  readonly store: Store;
  readonly config: Config;
  readonly smtpPort: number;
  readonly httpUrl: string;
  stop(): Promise<void>;
}

export async function startTestService(
  env: Record<string, string> = {},
  options: { roles?: readonly Role[]; kind?: StoreKind } = {},
): Promise<TestService> {
  const kind = options.kind ?? STORE_KINDS[0];
  if (kind === undefined) throw new Error('no store kind');
  const store = await kind.open();
  await loadFixtureWorkspace(store);
  const config = parseConfig({
    TOUCHMAIL_DATABASE: 'sqlite::memory:',
    TOUCHMAIL_SMTP_PORT: String(await freePort()),
    TOUCHMAIL_HTTP_PORT: String(await freePort()),
    TOUCHMAIL_ADMIN_TOKEN: 'test-admin-token-0123456789',
    TOUCHMAIL_LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await startService(
    config,
    createLogger(config.logLevel),
    store,
    new Set(options.roles ?? ['smtp', 'worker', 'api']),
  );
  return {
    service,
    store,
    config,
    smtpPort: service.smtpPort ?? 0,
    httpUrl: `http://127.0.0.1:${service.httpPort ?? 0}`,
    async stop() {
      await service.stop();
      await store.close();
    },
  };
}

/** Waits until `check` returns a value other than undefined (polling), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
