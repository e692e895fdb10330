// How a loop waits for work: asleep until its next poll, or until someone says work has come. A word
// that comes while the loop is busy is remembered, so the next sleep ends at once instead of waiting for
// the poll (the worker loops and the IMAP intake).

export class IdleWait {
  #wake: (() => void) | null = null;
  #announced = false;

  /** Forgets what was announced so far: the caller is about to look for work itself. */
  forget(): void {
    this.#announced = false;
  }

  /** Resolves after `ms`, or at once when `wake` is called meanwhile or was since the last forget/sleep. */
  sleep(ms: number): Promise<void> {
    if (this.#announced) {
      this.#announced = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Ends the current sleep, or the next one if none is on. */
  wake(): void {
    if (this.#wake === null) this.#announced = true;
    else this.#wake();
  }
}
