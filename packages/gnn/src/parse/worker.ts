import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readFileRecord } from './file-record.js';
import { loadPythonParser } from './parser.js';
import { claimBatch, toWire, type WorkerData, type WorkerReply } from './worker-protocol.js';

/*
 * Entry of a parse worker thread (built to dist/parse-worker.js). It claims batches of files until
 * none is left, and posts each batch's records, which reach the main thread by structured clone (forms as JSON text).
 */

const port = parentPort;
if (!port) throw new Error('gnn: parse worker started outside a worker thread');
const data = workerData as WorkerData;
const pp = await loadPythonParser();
let done = 0;
let bareFiles = 0;
for (let b = claimBatch(data.next, data.claimedBy, data.id); b !== -1; b = claimBatch(data.next, data.claimedBy, data.id)) {
  // Fault injection for the fallback tests: the worker dies or throws holding a claimed batch.
  if (data.fault && done >= data.fault.after) {
    if (data.fault.mode === 'exit') process.exit(3);
    throw new Error('gnn: injected parse worker fault');
  }
  const files = data.files.slice(b * data.batchFiles, (b + 1) * data.batchFiles);
  if (data.bare) {
    for (const f of files) pp.parser.parse(readFileSync(f.abs, 'utf8'))?.delete();
    bareFiles += files.length;
    continue;
  }
  const reply: WorkerReply = { batch: b, records: files.map((f) => toWire(readFileRecord(pp, f.rel, f.abs))) };
  port.postMessage(reply);
  done++;
}
if (data.bare) port.postMessage({ bareFiles });
