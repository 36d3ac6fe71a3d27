import os from 'node:os';
import path from 'node:path';
import { makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { okAsync, type ResultAsync } from 'neverthrow';
import type { TestEngineError } from '../errors.js';
import { parseJUnit } from '../junit/parse.js';
import { defaultToolsPython, detectInterpreter } from '../runner/interpreter.js';
import { createTestRunner } from '../runner/run.js';
import { syntheticJUnit } from './junit-sample.js';

export interface BenchOptions {
  readonly workspace: string;
  /** Timed runs of each variant after one warm-up. Default 5. */
  readonly runs?: number;
  readonly python?: string;
  readonly toolsPython?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

export interface BenchResult {
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly suite: { readonly workspace: string; readonly tests: number; readonly runs: number };
  readonly barePytestMs: { readonly median: number; readonly min: number };
  readonly runnerMs: { readonly median: number; readonly min: number };
  /** (runner median − bare median) / bare median × 100. Target ≤ 10. */
  readonly overheadPercent: number;
  readonly isolation: string;
  readonly junit5000: { readonly bytes: number; readonly parseMsMedian: number; readonly tests: number };
}

function stats(samples: readonly number[]): { median: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { median: Math.round(median), min: Math.round(sorted[0] ?? 0) };
}

function sequence<T>(n: number, step: (i: number) => ResultAsync<T, TestEngineError>, i = 0, acc: T[] = []): ResultAsync<T[], TestEngineError> {
  if (i >= n) return okAsync(acc);
  return step(i).andThen((v) => sequence(n, step, i + 1, [...acc, v]));
}

/**
 * Measures the runner's overhead over bare `python -m pytest` on the same suite and interpreter,
 * and the time to parse a 5,000-test JUnit file.
 */
export function benchRunner(options: BenchOptions): ResultAsync<BenchResult, TestEngineError> {
  const runs = options.runs ?? 5;
  const env = options.env ?? process.env;
  const total = 2 * (runs + 1) + 5;
  let done = 0;
  const tick = (label: string) => options.onProgress?.(label, ++done, total);
  const workspace = path.resolve(options.workspace);
  return detectInterpreter({
    workspace,
    toolsPython: options.toolsPython ?? defaultToolsPython(),
    env,
    needCoverage: false,
    ...(options.python === undefined ? {} : { python: options.python }),
  }).andThen((interp) => {
    const bare = () =>
      runProcess({
        argv: [interp.python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
        cwd: workspace,
        env: scrubEnv(env, { set: { HOME: os.tmpdir() } }),
        timeoutMs: 600_000,
      })
        .mapErr((e): TestEngineError => makeError('spawn_failed', e.message, { program: e.program }))
        .map((r) => {
          tick('bare pytest');
          return r.durationMs;
        });
    const runner = createTestRunner();
    const ours = () =>
      runner.run({
        workspace,
        env,
        timeoutMs: 600_000,
        ...(options.python === undefined ? {} : { python: options.python }),
        ...(options.toolsPython === undefined ? {} : { toolsPython: options.toolsPython }),
      }).map((r) => {
        tick('yantra runner');
        return { ms: r.durationMs, tests: r.totals.total, isolation: r.environment.isolation };
      });
    // Interleaved so drift in machine load hits both variants alike; the first pair is a warm-up
    // (and fills the runner's probe cache, as in a session that runs tests repeatedly).
    return sequence(runs + 1, () => bare().andThen((b) => ours().map((o) => ({ b, o })))).map((pairs) => {
      const timed = pairs.slice(1);
      const xml = syntheticJUnit(5000);
      const parseTimes: number[] = [];
      let parsedTests = 0;
      for (let i = 0; i < 5; i += 1) {
        const t0 = performance.now();
        parsedTests = parseJUnit(xml).match(
          (r) => r.totals.total,
          () => 0,
        );
        parseTimes.push(performance.now() - t0);
        tick('parse 5,000-test JUnit');
      }
      const bareStats = stats(timed.map((p) => p.b));
      const runnerStats = stats(timed.map((p) => p.o.ms));
      return {
        machine: { cpus: os.cpus().length, node: process.version, platform: `${os.type()} ${os.release()}` },
        suite: { workspace, tests: pairs[0]?.o.tests ?? 0, runs },
        barePytestMs: bareStats,
        runnerMs: runnerStats,
        overheadPercent: bareStats.median === 0 ? 0 : Math.round(((runnerStats.median - bareStats.median) / bareStats.median) * 1000) / 10,
        isolation: pairs[0]?.o.isolation ?? 'env',
        junit5000: { bytes: Buffer.byteLength(xml), parseMsMedian: Math.round(stats(parseTimes).median * 10) / 10, tests: parsedTests },
      };
    });
  });
}
