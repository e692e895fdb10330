// Sign-in attempts per key (a digest of email and client address) within a window, shared by every node.
// The table keeps its name from when only failures were counted; a success forgets its key.
import type { Executor } from './schema.js';

/**
 * Counts one attempt, in the current window or as the first of a new one, and answers the window as it
 * now stands. One statement (an upsert): parallel attempts each see their own count, never a stale one.
 * Forgets ended windows.
 */
export async function countSignInAttempt(
  db: Executor,
  key: string,
  now: Date,
  windowStart: Date,
): Promise<{ count: number; since: Date }> {
  const started = windowStart.toISOString();
  await db.deleteFrom('sign_in_failures').where('since', '<=', started).execute();
  const row = await db
    .insertInto('sign_in_failures')
    .values({ key, count: 1, since: now.toISOString() })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('sign_in_failures.since', '>', started)
          .then(eb('sign_in_failures.count', '+', 1))
          .else(1)
          .end(),
        since: eb
          .case()
          .when('sign_in_failures.since', '>', started)
          .then(eb.ref('sign_in_failures.since'))
          .else(eb.ref('excluded.since'))
          .end(),
      })),
    )
    .returning(['count', 'since'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), since: new Date(row.since) };
}

export async function forgetSignInAttempts(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
