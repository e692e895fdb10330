// Account names by id, for what shows accounts next to ids (a touchpoint, an inbound message's candidates).
import type { Executor } from './schema.js';

/** The names of the accounts of `ids` that exist in the workspace (missing ids are left out). */
export async function accountNames(
  db: Executor,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
