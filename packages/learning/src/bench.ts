import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@yantra/shared';
import type { Embedder } from './embedder/port.js';
import type { LearningError } from './errors.js';
import type { MistakePattern } from './pattern.js';
import { CATEGORIES } from './pattern.js';
import { createLearningStore, type LearningStore, type LearningStoreOptions } from './store.js';
import type { LearningExport } from './transfer.js';

export interface BenchOptions {
  readonly embedder: Embedder;
  readonly chroma: LearningStoreOptions['chroma'];
  /** Patterns stored before retrieval is measured. Default 10,000. */
  readonly patterns?: number;
  /** Timed calls per measure (retrieval takes twice as many). Default 100. */
  readonly samples?: number;
  readonly logger: Logger;
  readonly progress: (label: string, done: number, total: number) => void;
}

export interface BenchReport {
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly vectorIndex: 'chroma' | 'memory';
  readonly patterns: number;
  readonly embedP50Ms: number;
  readonly recordP50Ms: number;
  readonly retrieveP50Ms: number;
  readonly retrieveP99Ms: number;
  readonly contextP50Ms: number;
  readonly bulkImportMs: number;
  readonly bytesPer100Patterns: number;
  readonly targets: { readonly embedP50Ms: 20; readonly recordP50Ms: 200; readonly retrieveP50Ms: 100; readonly bytesPer100Patterns: 1_048_576 };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(2));
};

const VERBS = ['Forgot to await', 'Passed a str to', 'Imported the wrong module for', 'Built SQL with an f-string in', 'Mutated the default argument of', 'Swallowed the exception in', 'Compared None with == in', 'Used a bare except in', 'Leaked a file handle in', 'Called a removed helper from'];
const NOUNS = ['fetch_user', 'save_cart', 'load_order', 'parse_config', 'send_email', 'render_page', 'compute_total', 'refresh_token', 'sync_inventory', 'export_report', 'apply_discount', 'resize_image', 'validate_form', 'close_session', 'index_document', 'schedule_job', 'retry_payment', 'merge_profiles', 'archive_logs', 'rotate_keys'];
const PLACES = ['the request handler', 'a background task', 'the CLI entry point', 'a pytest fixture', 'the ORM layer', 'the websocket loop', 'a migration script', 'the cache wrapper', 'the admin view', 'a data pipeline step'];

function syntheticPatterns(n: number, now: number): MistakePattern[] {
  const out: MistakePattern[] = [];
  for (let i = 0; out.length < n; i++) {
    const v = VERBS[i % VERBS.length] as string;
    const noun = NOUNS[Math.floor(i / VERBS.length) % NOUNS.length] as string;
    const place = PLACES[Math.floor(i / (VERBS.length * NOUNS.length)) % PLACES.length] as string;
    const round = Math.floor(i / (VERBS.length * NOUNS.length * PLACES.length));
    const description = `${v} ${noun} in ${place}${round > 0 ? ` (variant ${'abcdefghij'[round % 10]}${round})` : ''}`;
    out.push({
      id: `bench_${i}`,
      vectorId: `bench_${i}`,
      modelName: i % 2 === 0 ? 'model-a' : 'model-b',
      errorSignature: `bench-${i}`,
      errorType: 'bench',
      category: CATEGORIES[i % CATEGORIES.length] as MistakePattern['category'],
      severity: 'major',
      source: 'manual',
      description,
      badExample: `def ${noun}(x):\n    return x  # ${v.toLowerCase()}`,
      goodExample: null,
      frequency: 1 + (i % 7),
      firstSeen: now - (i % 365) * 86_400_000,
      lastSeen: now - (i % 90) * 86_400_000,
      fixApplied: false,
      userCorrections: 0,
      testFailures: 1,
      archived: false,
      embedderId: 'bench',
    });
  }
  return out;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return total;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

const unwrap = <T>(r: { match: <A, B>(ok: (v: T) => A, err: (e: LearningError) => B) => A | B }): T =>
  r.match(
    (v) => v,
    (e): never => {
      throw new Error(`${e.kind}: ${e.message}`);
    },
  );

/**
 * Measures the store in a throw-away project: embedding, recording, retrieval with `patterns`
 * stored, prompt rendering, and the bytes on disk per 100 patterns (SQLite plus Chroma).
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const total = options.patterns ?? 10_000;
  const n = options.samples ?? 100;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-learn-bench-'));
  let store: LearningStore | undefined;
  try {
    store = unwrap(await createLearningStore({ projectRoot: dir, embedder: options.embedder, chroma: options.chroma, logger: options.logger }));
    const s = store;

    const embedTimes: number[] = [];
    for (let i = 0; i < n; i++) {
      const [ms] = await timed(async () => unwrap(await options.embedder.embed([`coroutine 'task_${i}' was never awaited in handler ${i % 7}`])));
      embedTimes.push(ms);
    }
    options.progress('embed', n, n);

    const recordTimes: number[] = [];
    for (let i = 0; i < n; i++) {
      const [ms] = await timed(async () =>
        unwrap(
          await s.record({
            source: 'test',
            model: 'model-a',
            failure: { nodeId: `tests/test_${i}.py::test_it`, errorType: 'TypeError', message: `unsupported operand for ${NOUNS[i % NOUNS.length]} and ${PLACES[i % PLACES.length]} case ${'abcdefghij'[i % 10]}${Math.floor(i / 10)}` },
            generatedCode: `def f_${i}(a, b):\n    return a + b\n`,
          }),
        ),
      );
      recordTimes.push(ms);
      options.progress('record', i + 1, n);
    }

    const fill = Math.max(0, total - n);
    const doc: LearningExport = { format: 'yantra-learning', version: 1, exportedAt: new Date().toISOString(), embedderId: 'bench', patterns: syntheticPatterns(fill, Date.now()) };
    let bulkImportMs = 0;
    // Ten slices, so that progress shows (non-interactive progress prints every tenth).
    const chunk = Math.max(100, Math.ceil(fill / 10));
    for (let i = 0; i < fill; i += chunk) {
      const slice = { ...doc, patterns: doc.patterns.slice(i, i + chunk) };
      const [ms] = await timed(async () => unwrap(await s.import(slice)));
      bulkImportMs += ms;
      options.progress('store patterns', Math.min(fill, i + chunk), fill);
    }

    const retrieveTimes: number[] = [];
    const contextTimes: number[] = [];
    for (let i = 0; i < 2 * n; i++) {
      const q = `${VERBS[(i * 3) % VERBS.length]} ${NOUNS[(i * 7) % NOUNS.length]} while editing ${PLACES[i % PLACES.length]}`;
      const [ms, hits] = await timed(async () => unwrap(await s.retrieve(q, i % 2 === 0 ? 'model-a' : 'model-b', { k: 5, minSimilarity: 0.5 })));
      retrieveTimes.push(ms);
      const [cms] = await timed(async () => s.buildMistakeContext(hits));
      contextTimes.push(cms);
      options.progress('retrieve', i + 1, 2 * n);
    }

    const stored = s.status();
    store = undefined;
    unwrap(await s.close());
    const bytes = await dirBytes(path.join(dir, '.yantra'));
    return {
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.type()} ${os.release()}` },
      vectorIndex: stored.vectorIndex,
      patterns: stored.patterns,
      embedP50Ms: pct(embedTimes, 50),
      recordP50Ms: pct(recordTimes, 50),
      retrieveP50Ms: pct(retrieveTimes, 50),
      retrieveP99Ms: pct(retrieveTimes, 99),
      contextP50Ms: pct(contextTimes, 50),
      bulkImportMs: Math.round(bulkImportMs),
      bytesPer100Patterns: Math.round(bytes / Math.max(1, stored.patterns / 100)),
      targets: { embedP50Ms: 20, recordP50Ms: 200, retrieveP50Ms: 100, bytesPer100Patterns: 1_048_576 },
    };
  } finally {
    if (store) await store.close().match(() => undefined, () => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
