// The workers' loop (src/app/work-loop.ts): batches while there is work, sleeps otherwise until polled
// or woken — a wake that comes while a batch runs is not lost — housekeeping first and then now and
// then, and stop waits for the batch in hand.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { WorkLoop, type LoopSteps } from '../../src/work/work-loop.js';

const logger = createLogger('silent');
/** Far longer than a test may take (10 s): a test that passes did not wait for a poll. */
const POLL_MS = 600_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('work loop', { timeout: 10_000 }, () => {
  it('takes batches while they find work, then sleeps until woken', async () => {
    const found = [2, 1, 0];
    let batches = 0;
    const idle = deferred();
    const loop = new WorkLoop(
      {
        batch: () => {
          batches++;
          const taken = found.shift() ?? 0;
          if (taken === 0) idle.resolve();
          return Promise.resolve(taken);
        },
        housekeeping: () => Promise.resolve(),
      },
      { pollMs: POLL_MS, housekeepingMs: POLL_MS, name: 'test' },
      logger,
    );
    loop.start();
    await idle.promise;
    expect(batches).toBe(3);
    const again = deferred();
    found.push(0);
    const before = batches;
    const woken = setInterval(() => {
      if (batches > before) again.resolve();
    }, 5);
    loop.wake();
    await again.promise;
    clearInterval(woken);
    await loop.stop();
    expect(batches).toBe(before + 1);
  });

  it('does not lose a wake that comes while a batch runs', async () => {
    const first = deferred();
    const second = deferred();
    let batches = 0;
    let wakeDuringBatch: () => void = () => undefined;
    const steps: LoopSteps = {
      batch: () => {
        batches++;
        if (batches === 1) {
          wakeDuringBatch(); // new work announced while this batch (which finds none) runs
          first.resolve();
        } else second.resolve();
        return Promise.resolve(0);
      },
      housekeeping: () => Promise.resolve(),
    };
    const loop = new WorkLoop(steps, { pollMs: POLL_MS, housekeepingMs: POLL_MS, name: 'test' }, logger);
    wakeDuringBatch = () => loop.wake();
    loop.start();
    await first.promise;
    await second.promise; // without the remembered wake this would wait for the 60 s poll
    await loop.stop();
    expect(batches).toBe(2);
  });

  it('keeps house first and then not before its interval; a failure there does not stop the batches', async () => {
    let housekeeping = 0;
    const batched = deferred();
    const loop = new WorkLoop(
      {
        batch: () => {
          batched.resolve();
          return Promise.resolve(0);
        },
        housekeeping: () => {
          housekeeping++;
          return Promise.reject(new Error('store away'));
        },
      },
      { pollMs: 10, housekeepingMs: POLL_MS, name: 'test' },
      logger,
    );
    loop.start();
    await batched.promise;
    await new Promise((resolve) => setTimeout(resolve, 50)); // several polls
    await loop.stop();
    expect(housekeeping).toBe(1);
  });

  it('stops after the batch in hand', async () => {
    const inBatch = deferred();
    const finish = deferred();
    let finished = false;
    const loop = new WorkLoop(
      {
        batch: async () => {
          inBatch.resolve();
          await finish.promise;
          finished = true;
          return 1;
        },
        housekeeping: () => Promise.resolve(),
      },
      { pollMs: POLL_MS, housekeepingMs: POLL_MS, name: 'test' },
      logger,
    );
    loop.start();
    await inBatch.promise;
    const stopped = loop.stop();
    finish.resolve();
    await stopped;
    expect(finished).toBe(true);
  });
});
