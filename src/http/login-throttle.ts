// Failed sign-ins counted per email and client address: past the limit, sign-in answers 429 until the
// window ends, so a password cannot be guessed at request speed. Counted in the store, so several API
// nodes share one count; the key is a digest, so no address is kept in clear.
import { createHash } from 'node:crypto';
import type { Executor } from '../store/schema.js';
import {
  countSignInFailure,
  forgetSignInFailures,
  signInFailuresOf,
} from '../store/sign-in-failure-repository.js';

/** Failed attempts allowed per email and address within the window (OWASP: a small number). */
export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export class LoginThrottle {
  constructor(
    private readonly db: Executor,
    private readonly limit = MAX_FAILED_SIGN_INS,
    private readonly windowMs = SIGN_IN_WINDOW_MS,
  ) {}

  /** Seconds until this email may try again from this address, or 0 when it may now. */
  async retryAfter(email: string, address: string, now: Date): Promise<number> {
    const failures = await signInFailuresOf(this.db, keyOf(email, address), this.#windowStart(now));
    if (failures === null || failures.count < this.limit) return 0;
    return Math.max(1, Math.ceil((failures.since.getTime() + this.windowMs - now.getTime()) / 1000));
  }

  failed(email: string, address: string, now: Date): Promise<void> {
    return countSignInFailure(this.db, keyOf(email, address), now, this.#windowStart(now));
  }

  succeeded(email: string, address: string): Promise<void> {
    return forgetSignInFailures(this.db, keyOf(email, address));
  }

  #windowStart(now: Date): Date {
    return new Date(now.getTime() - this.windowMs);
  }
}

function keyOf(email: string, address: string): string {
  return createHash('sha256').update(`${email}\n${address}`).digest('hex');
}
