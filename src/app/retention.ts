// Retention housekeeping (SPEC §11), run by worker nodes: raw messages emptied `rawRetentionDays` after
// processing, inbound entries that recorded nothing deleted `inboundRetentionDays` after it (`0`: at the
// next run). Work goes in small batches, each its own statement, so intake and processing keep flowing.
import { retentionCutoff } from '../domain/privacy.js';
import type { Logger } from '../logger.js';
import type { StoreCapabilities } from '../store/capabilities.js';
import {
  deleteExpiredEntries,
  deleteExpiredRaw,
  workspacesWithRetention,
} from '../store/retention-repository.js';
import type { Executor } from '../store/schema.js';
import { WorkLoop } from '../work/work-loop.js';

export interface RetentionDependencies {
  readonly db: Executor;
  readonly capabilities: StoreCapabilities;
  readonly now: () => Date;
}

export interface RetentionCounts {
  readonly raw: number;
  readonly inbound: number;
}

/** Rows one statement empties or deletes: a SQLite write holds the one writer for about this long. */
export const RETENTION_BATCH = 500;

/** One batch per workspace and kind; returns what it deleted (zero: nothing is due). */
export async function retentionBatch(
  deps: RetentionDependencies,
  limit: number = RETENTION_BATCH,
): Promise<RetentionCounts> {
  const now = deps.now();
  let raw = 0;
  let inbound = 0;
  for (const ws of await workspacesWithRetention(deps.db)) {
    const entries = retentionCutoff(ws.inboundRetentionDays, now);
    // Entries first: an entry deleted needs no emptying of its raw message.
    if (entries !== null)
      inbound += await deleteExpiredEntries(deps.db, deps.capabilities, ws.id, entries, limit);
    const raws = retentionCutoff(ws.rawRetentionDays, now);
    if (raws !== null) raw += await deleteExpiredRaw(deps.db, deps.capabilities, ws.id, raws, now, limit);
  }
  return { raw, inbound };
}

/** How often retention looks for due work when the last look found none (INTERFACE: at least each minute). */
export const RETENTION_POLL_MS = 30_000;

/** Retention as a background loop of its own: batch after batch while some are due, then every poll. */
export function retentionLoop(
  deps: RetentionDependencies,
  logger: Logger,
  onDeleted: (counts: RetentionCounts) => void,
  pollMs: number = RETENTION_POLL_MS,
): WorkLoop {
  return new WorkLoop(
    {
      batch: async () => {
        const counts = await retentionBatch(deps);
        if (counts.raw + counts.inbound > 0) onDeleted(counts);
        return counts.raw + counts.inbound;
      },
      housekeeping: () => Promise.resolve(),
    },
    { pollMs, housekeepingMs: Number.POSITIVE_INFINITY, name: 'retention' },
    logger,
  );
}
