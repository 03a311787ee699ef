/**
 * Worker thread of a large `envlens import` (see importProbeInputs in ./probe-import.ts):
 * imports the batches of probe outputs it is sent and answers with their entries.
 *
 * Built on its own as `out/cli/import-worker.mjs` (scripts/build-cli.mjs) next to the CLI
 * bundle, which starts it only when that file is there; everything else (the app, tests
 * from source) imports on one thread.
 */
import { parentPort } from 'node:worker_threads';
import { importProbeInput, type WorkerReply, type WorkerRequest } from './probe-import';

if (!parentPort) throw new Error('probe-import-worker is a worker thread: start it with new Worker()');
const port = parentPort;
port.on('message', ({ batch, inputs }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { batch, entries: inputs.map(importProbeInput) };
  } catch (error) {
    reply = { batch, error: `importing ${inputs[0]?.file ?? 'a batch'}…: ${(error as Error).stack ?? String(error)}` };
  }
  port.postMessage(reply);
});
