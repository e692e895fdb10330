// The demo workspace's admin can sign in to the web UI out of the box: on the first `start --demo` it
// gets a random password, printed once. Random rather than fixed and documented, because a demo left
// running on a reachable address must not open with a password everyone knows; once set it is kept,
// so restarts do not sign anyone out (`touchmail login password` sets a new one).
import { getPasswordHash } from '../store/login-repository.js';
import type { Store } from '../store/store.js';
import { setLoginPassword } from './login-users.js';
import { randomPassword } from './password-hash.js';

export const DEMO_ADMIN = { workspaceId: 'demo', email: 'jill@demo.example' } as const;

/** The demo admin's new password, or null when it already had one (kept as it was). */
export async function ensureDemoPassword(store: Store, now: Date): Promise<string | null> {
  if ((await getPasswordHash(store.db, DEMO_ADMIN)) !== null) return null;
  const password = randomPassword();
  const result = await setLoginPassword(store, DEMO_ADMIN.workspaceId, DEMO_ADMIN.email, password, {
    actor: 'demo',
    now,
  });
  if (!result.ok) throw new Error(`demo password not set: ${result.message}`);
  return password;
}
