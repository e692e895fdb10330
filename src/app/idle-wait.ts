// How the workers wait for work: asleep until their next poll, or until someone says work is queued.

export class IdleWait {
  #wake: (() => void) | null = null;

  /** Resolves after `ms`, or at once when `wake` is called meanwhile. */
  sleep(ms: number): Promise<void> {
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

  /** Ends the current sleep, if there is one. */
  wake(): void {
    this.#wake?.();
  }
}
