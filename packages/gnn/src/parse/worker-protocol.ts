import type { FileRecord } from '../store/db.js';

/**
 * What a parse worker starts with. Batch `b` is files `[b * batchFiles, (b + 1) * batchFiles)`.
 * Every thread claims the next batch from the shared counter `next[0]` and writes its own id into
 * `claimedBy[b]`, so no thread waits for a dispatcher, and the main thread knows which batches a
 * failed worker held.
 */
export interface WorkerData {
  readonly files: readonly { readonly rel: string; readonly abs: string }[];
  readonly batchFiles: number;
  readonly next: Int32Array;
  readonly claimedBy: Int32Array;
  /** This worker's id in `claimedBy` (the main thread is 0). */
  readonly id: number;
  readonly fault?: WorkerFault;
  /**
   * The benchmark's baseline: only read and parse each file (the tree deleted at once), posting
   * nothing. See bareParseParallel.
   */
  readonly bare?: boolean;
}

/**
 * A record as a parse worker sends it: the form as its JSON text (`ir` null). Cloning the form's
 * many small objects costs the worker several times what stringifying it does, the main thread
 * parses the JSON about as fast as it would rebuild the clone, and the database stores the form
 * as that same JSON, so the text is kept for the writer instead of serializing the form again.
 */
export type WireRecord = FileRecord & { readonly irJson: string | null };

/** A parse worker's answer to one batch, records in the batch's order. */
export interface WorkerReply {
  readonly batch: number;
  readonly records: readonly (WireRecord | 'missing')[];
}

export function toWire(r: FileRecord | 'missing'): WireRecord | 'missing' {
  return r === 'missing' ? r : { ...r, ir: null, irJson: r.ir ? JSON.stringify(r.ir) : null };
}

/** The record back from the wire, and its form's JSON text. */
export function fromWire(w: WireRecord): { record: FileRecord; irJson: string | null } {
  const { irJson, ...rest } = w;
  return { record: { ...rest, ir: irJson === null ? null : (JSON.parse(irJson) as FileRecord['ir']) }, irJson };
}

/** Injected failure, for tests: after `after` batches the worker exits or throws. */
export interface WorkerFault {
  readonly after: number;
  readonly mode: 'exit' | 'throw';
}

/** Claims the next batch for thread `id`; -1 when all are taken. */
export function claimBatch(next: Int32Array, claimedBy: Int32Array, id: number): number {
  const b = Atomics.add(next, 0, 1);
  if (b >= claimedBy.length) return -1;
  Atomics.store(claimedBy, b, id);
  return b;
}
