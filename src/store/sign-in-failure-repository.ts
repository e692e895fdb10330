// Failed sign-ins per key (a digest of email and client address) within a window, shared by every node.
import type { Executor } from './schema.js';

/** The failures counted for `key` in the window that began at or after `windowStart`, with when it began. */
export async function signInFailuresOf(
  db: Executor,
  key: string,
  windowStart: Date,
): Promise<{ count: number; since: Date } | null> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select(['count', 'since'])
    .where('key', '=', key)
    .where('since', '>', windowStart.toISOString())
    .executeTakeFirst();
  return row === undefined ? null : { count: Number(row.count), since: new Date(row.since) };
}

/** Counts one failure: in the current window, or as the first of a new one. Forgets ended windows. */
export async function countSignInFailure(
  db: Executor,
  key: string,
  now: Date,
  windowStart: Date,
): Promise<void> {
  const started = windowStart.toISOString();
  await db.deleteFrom('sign_in_failures').where('since', '<=', started).execute();
  await db
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
    .execute();
}

export async function forgetSignInFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
