import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * WAL checkpoints off the update path. A checkpoint copies the write-ahead log into the database
 * and syncs it to disk: tens of milliseconds here, paid by whichever commit crossed SQLite's
 * automatic threshold. Instead, the main connection disables automatic checkpoints and a worker
 * thread with its own connection runs PASSIVE checkpoints (which never block the writer) after
 * writes, on the other core.
 */

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db = null;
try {
  db = new Database(workerData.file);
  db.pragma('busy_timeout = 2000');
} catch {
  db = null;
}
// Without a connection there is nothing to do: ending the thread tells the owner (onStop).
if (db === null) parentPort.close();
let pending = false;
parentPort.on('message', (m) => {
  if (m === 'close') {
    try { db?.close(); } catch {}
    parentPort.close();
    return;
  }
  if (pending) return;
  pending = true;
  setImmediate(() => {
    pending = false;
    try { db?.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  });
});
`;

export interface Checkpointer {
  /** Asks for a checkpoint soon (requests made while one is queued are merged). */
  request(): void;
  close(): void;
}

/**
 * Starts the checkpoint worker for a database file, or returns null if no worker can be started.
 * `onStop` runs once if the worker fails or exits before `close()`, so the caller can hand
 * checkpoints back to SQLite instead of letting the log grow.
 */
export function startCheckpointer(file: string, onStop: () => void = () => undefined): Checkpointer | null {
  let worker: Worker;
  try {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module } });
  } catch {
    return null;
  }
  // Never keeps the process alive; a failing worker hands checkpoints back to the caller.
  worker.unref();
  let open = true;
  const stopped = () => {
    if (!open) return;
    open = false;
    onStop();
  };
  worker.on('error', stopped);
  worker.on('exit', stopped);
  return {
    request() {
      if (open) worker.postMessage('checkpoint');
    },
    close() {
      if (!open) return;
      open = false;
      worker.postMessage('close');
      void worker.terminate();
    },
  };
}
