import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describeUnknown, makeError, silentLogger, type Logger } from '@yantra/shared';
import type { ListedFile } from '../project/files.js';
import type { FileRecord } from '../store/db.js';
import { readFileRecord } from './file-record.js';
import type { PythonParser } from './parser.js';
import { parseWorkerUrl } from './worker-entry.js';
import { claimBatch, fromWire, type WorkerData, type WorkerFault, type WorkerReply } from './worker-protocol.js';

/*
 * The per-file phase of a cold build (read, hash, parse, light tree, extract) spread over worker
 * threads, with the main thread taking batches too. Every thread claims the next small batch from
 * a shared counter, so a thread that is slower (large files, a late start, the main thread copying
 * in results) simply takes fewer, and no worker waits for the main thread to hand it work.
 * Results are placed by file index, so the caller sees them in the listing's order whatever thread
 * produced them. A worker that fails to start, throws or exits leaves its unanswered batches to the
 * main thread: the build stays complete and identical.
 */

export interface ParallelReadOptions {
  /** Worker threads besides the main thread. */
  readonly workers: number;
  /** Whether the main thread parses batches too (else it only collects). Default true. */
  readonly mainShare?: boolean;
  /** Files per batch. Default 4. */
  readonly batchFiles?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Called once per file, as its result arrives. */
  readonly onFile?: () => void;
  /**
   * Receives the JSON text of each form a worker made (null for a file without one), which the
   * database stores as is (see WireRecord).
   */
  readonly onIrJson?: (rel: string, json: string | null) => void;
  /** Tests only: make every worker fail after some batches. */
  readonly fault?: WorkerFault;
}

interface Slot {
  readonly id: number;
  readonly worker: Worker;
  alive: boolean;
}

const MAIN = 0;

/**
 * A worker's stack, smaller than the main thread's (~1 MB): the extractor recurses over the
 * tree, and a file nested past the stack is indexed as `too_deep`. With less stack than the main
 * thread, a worker gives up first on such a file, and the main thread redoes it (below), so every
 * file gets the result a serial build gives it (a larger worker stack would index files the main
 * thread calls too deep).
 */
const WORKER_STACK_MB = 0.5;

const tooDeep = (r: FileRecord | 'missing'): boolean => r !== 'missing' && r.diagnostics.some((d) => d.kind === 'too_deep');

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `files` cut into batches of `batchFiles`, with the shared counter and claim table every thread
 * claims from, and the file list as workers get it.
 */
function batchPlan(files: readonly ListedFile[], batchFiles: number | undefined) {
  const size = Math.max(1, batchFiles ?? 4);
  const batches = Math.ceil(files.length / size);
  return {
    size,
    batches,
    list: files.map((f) => ({ rel: f.rel, abs: f.abs })),
    next: new Int32Array(new SharedArrayBuffer(4)),
    claimedBy: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, batches))).fill(-1),
    batchOf: (b: number) => files.slice(b * size, (b + 1) * size),
  };
}

/** Starts a parse worker on its own, smaller stack (WORKER_STACK_MB). */
function startParseWorker(url: URL, workerData: WorkerData): Worker {
  return new Worker(url, { workerData, resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
}

/** Reads and extracts `files` on `workers` threads plus the main one; results in `files` order. */
export async function readFilesParallel(files: readonly ListedFile[], pp: PythonParser, options: ParallelReadOptions): Promise<(FileRecord | 'missing')[]> {
  const logger = options.logger ?? silentLogger;
  const { size, batches, list, next, claimedBy, batchOf } = batchPlan(files, options.batchFiles);
  const results: (FileRecord | 'missing' | undefined)[] = new Array<FileRecord | 'missing' | undefined>(files.length);
  const answered = new Uint8Array(batches);
  let remaining = batches;
  // Batches of failed workers, for the main thread.
  const orphans: number[] = [];

  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const store = (b: number, records: readonly (FileRecord | 'missing')[]) => {
    // A batch may be answered twice (a worker's reply arriving after it was given up): first wins.
    if (answered[b]) return;
    answered[b] = 1;
    remaining--;
    records.forEach((r, k) => {
      results[b * size + k] = r;
      options.onFile?.();
    });
  };

  // Batches a worker claimed and has not answered yet.
  const pendingOf = (slot: Slot): number[] => {
    const out: number[] = [];
    for (let b = 0; b < batches; b++) if (!answered[b] && Atomics.load(claimedBy, b) === slot.id) out.push(b);
    return out;
  };

  const slots: Slot[] = [];
  const retire = (slot: Slot, why: string) => {
    if (!slot.alive) return;
    slot.alive = false;
    logger.warn('parse worker stopped; its files are parsed on the main thread', { reason: why });
    orphans.push(...pendingOf(slot));
    void slot.worker.terminate();
    notify();
  };

  const url =
    options.workers > 0 && batches > 1
      ? await parseWorkerUrl().catch((e: unknown) => {
          logger.warn('parse workers unavailable; parsing on the main thread', { error: describeUnknown(e) });
          return null;
        })
      : null;
  if (url) {
    for (let k = 1; k <= options.workers; k++) {
      let worker: Worker;
      try {
        worker = startParseWorker(url, { files: list, batchFiles: size, next, claimedBy, id: k, ...(options.fault ? { fault: options.fault } : {}) });
      } catch (e) {
        logger.warn('cannot start a parse worker', { error: describeUnknown(e) });
        continue;
      }
      const slot: Slot = { id: k, worker, alive: true };
      worker.on('message', (reply: WorkerReply) => {
        if (!answered[reply.batch]) {
          const batch = batchOf(reply.batch);
          store(
            reply.batch,
            reply.records.map((w, i) => {
              const f = batch[i];
              if (w === 'missing') return w;
              const { record, irJson } = fromWire(w);
              if (f && tooDeep(record)) return readFileRecord(pp, f.rel, f.abs);
              options.onIrJson?.(record.path, irJson);
              return record;
            }),
          );
        }
        notify();
      });
      worker.on('error', (e) => retire(slot, describeUnknown(e)));
      worker.on('exit', (code) => {
        // A worker that ran out of batches exits with 0 after its last reply; any other exit
        // (or an exit before its claimed batches were answered) hands them to the main thread.
        if (code === 0 && pendingOf(slot).length === 0) {
          slot.alive = false;
          notify();
        } else retire(slot, `exited with code ${code}`);
      });
      slots.push(slot);
    }
  }

  const onAbort = () => notify();
  options.signal?.addEventListener('abort', onAbort);
  try {
    const mainShare = options.mainShare ?? true;
    while (remaining > 0) {
      if (options.signal?.aborted) throw makeError('aborted', 'build aborted');
      let b = orphans.shift() ?? -1;
      if (b === -1 && (mainShare || !slots.some((s) => s.alive))) b = claimBatch(next, claimedBy, MAIN);
      if (b !== -1) {
        if (!answered[b]) store(b, batchOf(b).map((f) => readFileRecord(pp, f.rel, f.abs)));
        // Let worker replies in.
        await macrotask();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return results as (FileRecord | 'missing')[];
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const s of slots) {
      s.alive = false;
      s.worker.removeAllListeners('exit');
      s.worker.removeAllListeners('message');
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}

/** What bareParseParallel measured. */
export interface BareParseTiming {
  /** Milliseconds from the start to the last worker's exit. */
  readonly ms: number;
  /** Files each thread parsed: the main thread first, then each worker. */
  readonly filesPerThread: readonly number[];
}

/**
 * The bare parse (read, parse, delete the tree) of `files` spread as the build spreads its per-file
 * phase: `workers` threads plus the main one claiming batches from one counter, worker start-up
 * included. The benchmark's measure of what the parse alone costs on the build's threads. Rejects
 * if a file cannot be read or a worker fails: a benchmark figure would be wrong.
 */
export async function bareParseParallel(
  files: readonly ListedFile[],
  pp: PythonParser,
  options: Pick<ParallelReadOptions, 'workers' | 'mainShare' | 'batchFiles'>,
): Promise<BareParseTiming> {
  const t0 = performance.now();
  const { workers } = options;
  const { size, list, next, claimedBy, batchOf } = batchPlan(files, options.batchFiles);
  const url = workers > 0 ? await parseWorkerUrl() : null;
  const counts: Promise<number>[] = [];
  const started: Worker[] = [];
  for (let k = 1; url && k <= workers; k++) {
    const worker = startParseWorker(url, { files: list, batchFiles: size, next, claimedBy, id: k, bare: true });
    started.push(worker);
    counts.push(
      // Settled at the worker's exit only, so that no worker outlives the call.
      new Promise<number>((resolve, reject) => {
        let parsed = -1;
        let failure: unknown;
        worker.on('message', (m: { bareFiles: number }) => (parsed = m.bareFiles));
        worker.once('error', (e) => (failure = e));
        worker.once('exit', (code) => (code === 0 && parsed >= 0 ? resolve(parsed) : reject(failure ?? new Error(`gnn: bare parse worker exited with code ${code}`))));
      }),
    );
  }
  let mine = 0;
  // Without workers the main thread parses everything, whatever mainShare says.
  const mainShare = (options.mainShare ?? true) || counts.length === 0;
  try {
    for (let b = mainShare ? claimBatch(next, claimedBy, MAIN) : -1; b !== -1; b = claimBatch(next, claimedBy, MAIN)) {
      for (const f of batchOf(b)) {
        pp.parser.parse(readFileSync(f.abs, 'utf8'))?.delete();
        mine++;
      }
    }
  } catch (e) {
    for (const w of started) void w.terminate();
    await Promise.allSettled(counts);
    throw e;
  }
  const settled = await Promise.allSettled(counts);
  const theirs: number[] = [];
  for (const r of settled) {
    if (r.status === 'rejected') throw r.reason;
    theirs.push(r.value);
  }
  return { ms: performance.now() - t0, filesPerThread: [mine, ...theirs] };
}
