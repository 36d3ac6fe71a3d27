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
  /** Timed runs of each variant after one warm-up. Default 10. */
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
  /** Median over the timed pairs of (runner − bare) / bare × 100: less hit by load that drifts between pairs. */
  readonly overheadPercentPaired: number;
  /** What each side runs, so the comparison can be checked. */
  readonly sides: { readonly bare: string; readonly runner: string };
  /** 1-minute load average before and after the timed runs (the machine may be shared). */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly isolation: string;
  readonly junit5000: { readonly bytes: number; readonly parseMsMedian: number; readonly tests: number };
}

function stats(samples: readonly number[]): { median: number; min: number } {
  return { median: Math.round(medianOf(samples)), min: Math.round(Math.min(...samples)) };
}

function medianOf(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
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
  const runs = options.runs ?? 10;
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
    const bareArgv: [string, ...string[]] = [interp.python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
    const bare = () =>
      runProcess({
        argv: bareArgv,
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
    // Interleaved so drift in machine load hits both variants alike, and the order alternates
    // within pairs so neither side always runs second. The first pair is a warm-up (and fills
    // the runner's probe cache, as in a session that runs tests repeatedly).
    const loadStart = os.loadavg()[0] ?? 0;
    const pair = (i: number) =>
      i % 2 === 0 ? bare().andThen((b) => ours().map((o) => ({ b, o }))) : ours().andThen((o) => bare().map((b) => ({ b, o })));
    return sequence(runs + 1, pair).map((pairs) => {
      const loadEnd = os.loadavg()[0] ?? 0;
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
        overheadPercentPaired: Math.round(medianOf(timed.filter((p) => p.b > 0).map((p) => ((p.o.ms - p.b) / p.b) * 100)) * 10) / 10,
        sides: {
          bare: `${bareArgv.join(' ')} (cwd ${workspace}; scrubbed env, HOME in the OS temp dir; no sandbox, no limits, no JUnit, no coverage)`,
          runner:
            'runTests without coverage: a fresh temp dir, the launcher (limits, namespace sandbox when available) running ' +
            `${interp.python} -m pytest -p no:cacheprovider -p yantra_pytest_plugin -q --junitxml=<run temp dir>/junit.xml (the plugin serves --junitxml: it writes the JUnit XML, and the progress file), then reading and parsing the JUnit file`,
        },
        loadAverage: { start: Math.round(loadStart * 100) / 100, end: Math.round(loadEnd * 100) / 100 },
        isolation: pairs[0]?.o.isolation ?? 'env',
        junit5000: { bytes: Buffer.byteLength(xml), parseMsMedian: Math.round(stats(parseTimes).median * 10) / 10, tests: parsedTests },
      };
    });
  });
}
