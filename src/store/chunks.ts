// Multi-row statements cut to size: under the engine's bind-parameter limit and a sane statement size.
import { sql, type RawBuilder } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';

/** Rows per INSERT: bounded by the engine's bind-parameter limit and by statement size. */
export const MAX_ROWS_PER_STATEMENT = 500;

/** `rows` in chunks that each fit one statement of `columns` parameters per row. */
export function chunks<T>(rows: readonly T[], columns: number, capabilities: StoreCapabilities): T[][] {
  const size = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(capabilities.maxBindParameters / columns)),
  );
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Bytes of raw message (`raw_size`) in the rows before this one in `order` (a window over a CTE of
 * inbound rows). A statement takes rows while this is under its byte budget, so the first row always
 * goes, however large: the worker's lease (claimQueued) and the store copy bound their batches this way.
 */
export function rawBytesBefore(...order: readonly string[]): RawBuilder<number> {
  return sql<number>`sum(raw_size) over (order by ${sql.join(order.map((column) => sql.ref(column)))}) - raw_size`;
}
