import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultAsync } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import { createGraphEngine } from '../engine.js';
import type { GnnError } from '../errors.js';
import { loadPythonParser } from '../parse/parser.js';
import { fetchCorpus } from './corpus.js';
import { generateMutations, type Mutation } from './mutations.js';
import { validateChange } from './validate.js';

/** Options of {@link runGuardBench}. */
export interface GuardBenchOptions {
  /** Where wheels are downloaded and unpacked (kept between runs). */
  readonly corpusDir: string;
  /** Python with pip. */
  readonly python: string;
  /** pip requirement specs. Default {@link CORPUS_PACKAGES}. */
  readonly packages?: readonly string[];
  /** Mutations per kind per project. Default 25. */
  readonly perKind?: number;
  readonly progress?: (label: string, done: number, total: number) => void;
}

export interface GuardKindFigures {
  readonly total: number;
  readonly blocked: number;
}

/** What `bench-guard` reports. */
export interface GuardBenchReport {
  readonly projects: { name: string; files: number; loc: number; buildMs: number }[];
  readonly breaking: number;
  readonly compatible: number;
  readonly detectionRate: number;
  readonly falseBlockRate: number;
  readonly byKind: Record<string, GuardKindFigures>;
  readonly msPerValidation: { mean: number; p50: number; p95: number; max: number };
  readonly misses: string[];
  readonly falseBlocks: { id: string; breakages: string[] }[];
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

async function benchProject(root: string, perKind: number, acc: { times: number[]; byKind: Map<string, { total: number; blocked: number }>; misses: string[]; falseBlocks: GuardBenchReport['falseBlocks'] }, progress?: GuardBenchOptions['progress']) {
  const engine = createGraphEngine({ root, dbPath: false });
  try {
    const built = await engine.build().match((r) => r, (e) => {
      throw e;
    });
    const pp = await loadPythonParser();
    const muts: Mutation[] = generateMutations(engine, pp, perKind);
    const shadow = mkdtempSync(path.join(os.tmpdir(), 'gnn-guard-bench-'));
    try {
      cpSync(root, shadow, { recursive: true });
      let done = 0;
      for (const m of muts) {
        const target = path.join(shadow, m.file);
        const original = path.join(root, m.file);
        if (m.text === null) rmSync(target);
        else writeFileSync(target, m.text);
        const r = await validateChange({ before: engine, shadowRoot: shadow, changedFiles: [m.file] }).match((v) => v, (e) => {
          throw e;
        });
        cpSync(original, target);
        acc.times.push(r.ms);
        const k = acc.byKind.get(m.what) ?? { total: 0, blocked: 0 };
        const blocked = r.breakages.length > 0;
        acc.byKind.set(m.what, { total: k.total + 1, blocked: k.blocked + (blocked ? 1 : 0) });
        if (m.breaking && !blocked) acc.misses.push(`${path.basename(root)}:${m.id}`);
        if (!m.breaking && blocked) acc.falseBlocks.push({ id: `${path.basename(root)}:${m.id}`, breakages: r.breakages.map((b) => `${b.kind} ${b.symbol}: ${b.explanation}`) });
        progress?.(`guard ${path.basename(root)}`, ++done, muts.length);
      }
      return { name: path.basename(root), files: built.files, loc: built.loc, buildMs: built.totalMs, muts };
    } finally {
      rmSync(shadow, { recursive: true, force: true });
    }
  } finally {
    engine.close();
  }
}

/**
 * Builds the guard corpus (pip-downloaded wheels of real projects, mutated programmatically) and
 * measures detection rate, false-block rate and time per validation.
 */
export function runGuardBench(options: GuardBenchOptions): ResultAsync<GuardBenchReport, GnnError> {
  return fetchCorpus({ dir: options.corpusDir, python: options.python, ...(options.packages ? { packages: options.packages } : {}) }).andThen((roots) =>
    ResultAsync.fromPromise(
      (async () => {
        const acc = { times: [] as number[], byKind: new Map<string, { total: number; blocked: number }>(), misses: [] as string[], falseBlocks: [] as GuardBenchReport['falseBlocks'] };
        const projects: GuardBenchReport['projects'] = [];
        let breaking = 0;
        let compatible = 0;
        for (const root of roots) {
          const p = await benchProject(root, options.perKind ?? 25, acc, options.progress);
          projects.push({ name: p.name, files: p.files, loc: p.loc, buildMs: Math.round(p.buildMs) });
          breaking += p.muts.filter((m) => m.breaking).length;
          compatible += p.muts.filter((m) => !m.breaking).length;
        }
        const mean = acc.times.reduce((a, b) => a + b, 0) / Math.max(1, acc.times.length);
        const r2 = (x: number) => Math.round(x * 10000) / 10000;
        return {
          projects,
          breaking,
          compatible,
          detectionRate: r2(breaking === 0 ? 0 : (breaking - acc.misses.length) / breaking),
          falseBlockRate: r2(compatible === 0 ? 0 : acc.falseBlocks.length / compatible),
          byKind: Object.fromEntries([...acc.byKind].sort(([a], [b]) => (a < b ? -1 : 1))),
          msPerValidation: { mean: r2(mean), p50: r2(pct(acc.times, 0.5)), p95: r2(pct(acc.times, 0.95)), max: r2(pct(acc.times, 1)) },
          misses: acc.misses.slice(0, 50),
          falseBlocks: acc.falseBlocks.slice(0, 50),
        };
      })(),
      (e): GnnError => (typeof e === 'object' && e !== null && 'kind' in e ? (e as GnnError) : makeError('internal', describeUnknown(e))),
    ),
  );
}

