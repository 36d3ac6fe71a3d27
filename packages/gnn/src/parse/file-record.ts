import { readSource, type ReadOutcome } from '../project/files.js';
import type { FileRecord } from '../store/db.js';
import type { Diagnostic } from '../types.js';
import { extractFile, type ExtractResult } from './extract.js';
import type { PythonParser } from './parser.js';

type ReadOk = Extract<ReadOutcome, { ok: true }>;

/** The record of a file that exists but cannot be indexed (unreadable, binary). */
export function unreadableRecord(rel: string, diagnostic: Diagnostic): FileRecord {
  return { path: rel, hash: `unreadable:${Date.now()}`, mtime: 0, size: 0, loc: 0, diagnostics: [diagnostic], ir: null };
}

/** The record of a read and extracted file. */
export function extractedRecord(rel: string, src: ReadOk, x: ExtractResult): FileRecord {
  return {
    path: rel,
    hash: src.hash,
    mtime: src.mtimeMs,
    size: src.size,
    loc: x.loc,
    diagnostics: [...src.diagnostics, ...x.diagnostics],
    ir: x.ir,
    ...(x.chunks ? { chunks: x.chunks } : {}),
  };
}

/**
 * The per-file step of a cold build: read, hash, parse, extract. `missing` when the file vanished
 * after it was listed. Runs on the main thread or in a parse worker (parse/worker.ts), with the
 * same result.
 */
export function readFileRecord(pp: PythonParser, rel: string, abs: string): FileRecord | 'missing' {
  const src = readSource(abs, rel);
  if (!src.ok) return src.missing ? 'missing' : unreadableRecord(rel, src.diagnostic);
  return extractedRecord(rel, src, extractFile(pp, rel, src.text));
}
