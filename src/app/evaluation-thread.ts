// An evaluation thread: opens its own read-only connection to the store and evaluates the batches the
// service's thread hands it (src/app/evaluation-threads.ts); the writes stay with the service's thread.
import { errorCode, errorKind } from '../work/retry-policy.js';
import { parentPort, workerData } from 'node:worker_threads';
import { openStoreReader } from '../store/store.js';
import { defaultDependencies } from './dependencies.js';
import { evaluateBatch } from './evaluate-batch.js';
import {
  isThreadSetup,
  type CloseMessage,
  type JobMessage,
  type ResultMessage,
} from './evaluation-protocol.js';

if (parentPort === null || !isThreadSetup(workerData)) throw new Error('not started as an evaluation thread');
const port = parentPort;
const setup = workerData;
const store = openStoreReader(setup.database, setup.connections);
const deps = defaultDependencies(store, setup.maxMessageBytes, setup.authservId, setup.dnsServers);

let running = 0;
let closing = false;

/** Ends the thread by letting it run out of work (never `terminate` it: see EvaluationThreads.close). */
function closeWhenIdle(): void {
  if (closing && running === 0) void store.close().finally(() => port.close());
}

port.on('message', (message: JobMessage | CloseMessage) => {
  if ('close' in message) {
    closing = true;
    closeWhenIdle();
    return;
  }
  running++;
  void evaluateBatch(deps, message.rows).then((results) => {
    const reply: ResultMessage = {
      job: message.job,
      results: results.map((r) =>
        r.ok
          ? r
          : {
              ok: false,
              kind: errorKind(r.error),
              code: errorCode(r.error),
              stack: r.error instanceof Error ? (r.error.stack ?? r.error.message) : String(r.error),
            },
      ),
    };
    port.postMessage(reply);
    running--;
    closeWhenIdle();
  });
});
