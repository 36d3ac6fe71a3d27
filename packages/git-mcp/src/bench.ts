import fs from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import type { ResultAsync } from 'neverthrow';
import { silentLogger } from '@yantra/shared';
import { runProcess } from '@yantra/shared/node';
import { isoStatusRows } from './status.js';
import type { GitError } from './errors.js';
import { commitValidated } from './gate.js';
import { openRepository } from './repository.js';

/** One measured operation. */
export interface BenchTiming {
  readonly name: string;
  readonly ms: number;
}

export interface BenchResult {
  readonly repo: string;
  readonly synthetic: boolean;
  readonly files: number;
  readonly timings: readonly BenchTiming[];
  /** Peak resident set size seen between steps, MiB. */
  readonly peakRssMb: number;
  readonly node: string;
  readonly cpus: number;
  /** One-minute load average when the bench ended: timings on a busy machine are inflated. */
  readonly loadAverage: number;
}

export interface BenchOptions {
  /** Measure this repository (read-only steps only); default: a synthetic repository. */
  readonly repo?: string;
  /** Files in the synthetic repository. Default 5000. */
  readonly files?: number;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

const identity = { name: 'Yantra Bench', email: 'bench@yantra.invalid' };

async function timed<T>(timings: BenchTiming[], name: string, work: () => Promise<T>, peak: { rss: number }): Promise<T> {
  const start = performance.now();
  const value = await work();
  timings.push({ name, ms: Math.round((performance.now() - start) * 10) / 10 });
  peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  return value;
}

async function unwrap<T>(r: ResultAsync<T, GitError>): Promise<T> {
  return r.match(
    (v) => v,
    (e) => {
      throw new Error(`${e.kind}: ${e.message}`);
    },
  );
}

async function buildSynthetic(dir: string, count: number, onProgress?: BenchOptions['onProgress']): Promise<void> {
  await git.init({ fs, dir, defaultBranch: 'main' });
  await writeFile(path.join(dir, '.gitignore'), '__pycache__/\n*.pyc\n.yantra/\n');
  for (let i = 0; i < count; i++) {
    const pkg = path.join(dir, 'pkg', `mod${Math.floor(i / 100)}`, `sub${Math.floor((i % 100) / 10)}`);
    if (i % 10 === 0) await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, `file${i}.py`), `"""Module ${i}."""\n\n\ndef f${i}(x):\n    return x + ${i}\n`);
    if (i % 500 === 0) onProgress?.('writing files', i, count);
  }
  onProgress?.('writing files', count, count);
}

/**
 * Measures status, diff, log and (on a synthetic repository) staging and a validated commit.
 * A given repository is only read; the synthetic one lives in a temp dir removed afterwards.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const timings: BenchTiming[] = [];
  const peak = { rss: process.memoryUsage().rss };
  const synthetic = options.repo === undefined;
  const base = synthetic ? await mkdtemp(path.join(os.tmpdir(), 'yantra-git-bench-')) : undefined;
  try {
    const dir = base ?? path.resolve(options.repo ?? '.');
    if (synthetic) {
      await buildSynthetic(dir, options.files ?? 5000, options.onProgress);
      await timed(timings, 'add all (initial)', () => git.add({ fs, dir, filepath: '.', parallel: true }), peak);
      await timed(timings, 'commit (initial)', () => git.commit({ fs, dir, message: 'chore: initial commit\n', author: identity }), peak);
    }
    const open = () => unwrap(openRepository(dir, { logger: silentLogger, author: identity }));
    const repo = await open();
    const tracked = await git.listFiles({ fs, dir: repo.root });
    const files = tracked.length;
    const oneDir = synthetic ? 'pkg/mod1' : (tracked.find((f) => f.includes('/'))?.split('/')[0] ?? '.');
    await timed(timings, 'status (cold)', async () => unwrap((await open()).status()), peak);
    await timed(timings, 'status (warm)', () => unwrap(repo.status()), peak);
    await timed(timings, 'isomorphic-git statusMatrix (reference)', () => isoStatusRows(repo.context), peak);
    const cli = await runProcess({ argv: ['git', 'status', '--porcelain'], cwd: repo.root, timeoutMs: 60_000 }).match(
      (r) => (r.exitCode === 0 ? r.durationMs : undefined),
      () => undefined,
    );
    if (cli !== undefined) timings.push({ name: 'git CLI status (reference)', ms: Math.round(cli * 10) / 10 });
    await timed(timings, `status of one directory (${oneDir})`, () => unwrap(repo.status([oneDir])), peak);
    if (synthetic) {
      for (let i = 0; i < 10; i++) {
        const file = path.join(dir, 'pkg', 'mod0', 'sub0', `file${i}.py`);
        await writeFile(file, `"""Module ${i}, edited."""\n\n\ndef f${i}(x):\n    return x * ${i}\n`);
      }
    }
    await timed(timings, `status (${synthetic ? '10 files changed' : 'again'})`, () => unwrap(repo.status()), peak);
    await timed(timings, 'diff unstaged', () => unwrap(repo.diffUnstaged()), peak);
    await timed(timings, 'log 50', () => unwrap(repo.log({ maxCount: 50 })).catch(() => []), peak);
    if (synthetic) {
      const changed = Array.from({ length: 10 }, (_, i) => `pkg/mod0/sub0/file${i}.py`);
      const report = {
        runId: 'bench',
        graph: { status: 'complete' as const, breakages: [] },
        tests: { passed: 1, failed: 0, errors: 0, skipped: 0, changedLineCoverage: 100 },
        security: { critical: 0, high: 0, medium: 0, low: 0 },
      };
      await timed(timings, 'commitValidated (10 files)', () => unwrap(commitValidated(repo, { files: changed, request: 'edit ten modules' }, report)), peak);
      await timed(timings, 'show HEAD', () => unwrap(repo.show('HEAD')), peak);
    }
    return {
      repo: synthetic ? '(synthetic)' : repo.root,
      synthetic,
      files,
      timings,
      peakRssMb: Math.round(peak.rss / 1024 / 1024),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: Math.round(os.loadavg()[0] ?? 0),
    };
  } finally {
    if (base) await rm(base, { recursive: true, force: true });
  }
}
