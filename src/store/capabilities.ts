// What differs between the store's SQL engines, as flags the shared code reads (never `if dialect`).
export interface StoreCapabilities {
  /** Column type for raw message bytes. */
  readonly binaryColumnType: 'blob' | 'bytea';
  /** Most bind parameters one statement may carry; bulk writes are chunked below it. */
  readonly maxBindParameters: number;
  /**
   * Whether claiming queued rows can skip rows other transactions hold (`FOR UPDATE SKIP LOCKED`).
   * SQLite has one writer at a time, so its claims never contend.
   */
  readonly skipLocked: boolean;
  /**
   * Worker loops worth running in one process: SQLite has one connection and one writer, so one; on
   * PostgreSQL processing waits on round trips, so several loops overlap them.
   */
  readonly workerLoops: number;
}

export const SQLITE_CAPABILITIES: StoreCapabilities = Object.freeze({
  binaryColumnType: 'blob',
  // SQLite ≥ 3.32 allows 32,766 (SQLITE_MAX_VARIABLE_NUMBER).
  maxBindParameters: 32_766,
  skipLocked: false,
  workerLoops: 1,
});

export const POSTGRES_CAPABILITIES: StoreCapabilities = Object.freeze({
  binaryColumnType: 'bytea',
  // The wire protocol counts parameters in an Int16: 65,535.
  maxBindParameters: 65_535,
  skipLocked: true,
  workerLoops: 3,
});
