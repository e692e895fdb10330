// Sign-in attempts counted per email and client address: past the limit, sign-in answers 429 until the
// window ends, so a password cannot be guessed at request speed. Each attempt is counted before its
// password is checked (a parallel burst cannot slip through between check and count); a success
// forgets the count. Counted in the store, so several API nodes share one count; the key is a digest,
// so no address is kept in clear.
import { createHash } from 'node:crypto';
import type { Executor } from '../store/schema.js';
import { countSignInAttempt, forgetSignInAttempts } from '../store/sign-in-failure-repository.js';

/** Failed attempts allowed per email and address within the window (OWASP: a small number). */
export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export class LoginThrottle {
  constructor(
    private readonly db: Executor,
    private readonly limit = MAX_FAILED_SIGN_INS,
    private readonly windowMs = SIGN_IN_WINDOW_MS,
  ) {}

  /**
   * Counts an attempt of this email from this address; answers 0 when its password may be checked, else
   * the seconds until the window ends.
   */
  async attempt(email: string, address: string, now: Date): Promise<number> {
    const window = await countSignInAttempt(
      this.db,
      keyOf(email, address),
      now,
      new Date(now.getTime() - this.windowMs),
    );
    if (window.count <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.since.getTime() + this.windowMs - now.getTime()) / 1000));
  }

  succeeded(email: string, address: string): Promise<void> {
    return forgetSignInAttempts(this.db, keyOf(email, address));
  }
}

function keyOf(email: string, address: string): string {
  return createHash('sha256').update(`${email}\n${address}`).digest('hex');
}
