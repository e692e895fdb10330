// Failed sign-ins counted per email and client address: past the limit, sign-in answers 429 until the
// window ends, so a password cannot be guessed at request speed. Kept in memory (per process): with
// several API nodes each counts its own, which still bounds guessing to a few tries a minute per node.

/** Failed attempts allowed per email and address within the window (OWASP: a small number). */
export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Entries kept at most: a flood of made-up emails must not grow memory without bound. */
const MAX_ENTRIES = 100_000;

export class LoginThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit = MAX_FAILED_SIGN_INS,
    private readonly windowMs = SIGN_IN_WINDOW_MS,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, now: Date): number {
    const entry = this.#failures.get(key);
    if (entry === undefined) return 0;
    const ends = entry.since + this.windowMs;
    if (ends <= now.getTime()) {
      this.#failures.delete(key);
      return 0;
    }
    return entry.count >= this.limit ? Math.ceil((ends - now.getTime()) / 1000) : 0;
  }

  failed(key: string, now: Date): void {
    const entry = this.#failures.get(key);
    if (entry !== undefined && entry.since + this.windowMs > now.getTime()) {
      entry.count += 1;
      return;
    }
    if (this.#failures.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: drop the oldest window.
      const oldest = this.#failures.keys().next();
      if (oldest.done !== true) this.#failures.delete(oldest.value);
    }
    this.#failures.set(key, { count: 1, since: now.getTime() });
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }
}
