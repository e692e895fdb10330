// Small statistics for benchmarks: figures are reported as ratios to a baseline of the same run,
// because these machines are noisy.
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** Runs `fn` `times` times (after `warmup` runs) and returns each run's duration in ms, sorted. */
export async function timeEach(
  times: number,
  fn: (i: number) => Promise<unknown>,
  warmup = Math.min(50, times),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn(i);
    durations.push(performance.now() - started);
  }
  return durations.sort((a, b) => a - b);
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
