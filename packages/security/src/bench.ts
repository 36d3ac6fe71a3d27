import os from 'node:os';
import { ResultAsync } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import type { ResolvedScannerOptions } from './config.js';
import type { SecurityError } from './findings/types.js';
import { createScanner } from './scanner.js';
import { runSemgrep } from './semgrep/run.js';
import { readText, walkFiles } from './walk.js';

export interface BenchOptions {
  readonly runs: number;
  readonly progress?: (label: string, done: number, total: number) => void;
}

interface Timing {
  semgrep: number;
  secrets: number;
  deps: number;
  total: number;
  /** Bare semgrep with the same front end Yantra used. */
  bareSemgrep: number;
  /** Bare semgrep with the classic Python CLI, for reference. */
  barePythonSemgrep: number;
  overheadPct: number;
}

export interface BenchReport {
  readonly path: string;
  readonly machine: { cpus: number; node: string; platform: string; loadavg: number };
  readonly files: number;
  readonly pythonFiles: number;
  readonly pythonLoc: number;
  readonly findings: number;
  readonly runs: number;
  readonly semgrepEngine: string;
  /** Medians in ms for the whole path. */
  readonly project: Timing;
  /** Medians in ms for a change of up to five Python files. */
  readonly change: Timing & { files: number };
  readonly text: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Times each engine and the whole scan, against a bare semgrep run on the same targets. */
export function runBench(options: ResolvedScannerOptions, target: string, bench: BenchOptions): ResultAsync<BenchReport, SecurityError> {
  const work = async (): Promise<BenchReport> => {
    const scanner = createScanner(options);
    const unwrap = <T>(r: ResultAsync<T, SecurityError>): Promise<T> =>
      r.match(
        (v) => v,
        (e) => {
          throw e;
        },
      );
    const rulesFile = await unwrap(scanner.rulesFile());
    const files = await walkFiles(target);
    const py = files.filter((f) => f.rel.endsWith('.py'));
    let loc = 0;
    for (const f of py) loc += ((await readText(f.abs).catch(() => '')) ?? '').split('\n').length;
    const change = py.slice(0, 5).map((f) => f.rel);
    const steps = bench.runs * 6;
    let done = 0;
    const measure = async (paths: readonly string[] | undefined) => {
      const scans: Array<{ semgrep: number; secrets: number; deps: number; total: number; findings: number }> = [];
      const bare: number[] = [];
      const barePython: number[] = [];
      const bareRun = (engine: 'native' | 'python') =>
        unwrap(
          runSemgrep({ semgrepPath: options.semgrepPath, engine, rulesDir: rulesFile, cwd: target, targets: paths ?? ['.'], timeoutMs: options.timeoutMs }),
        );
      for (let i = 0; i < bench.runs; i++) {
        const report = await unwrap(scanner.scan({ root: target, ...(paths ? { paths } : {}) }));
        scans.push({ ...report.timings, findings: report.findings.length });
        bench.progress?.('bench', ++done, steps);
        let started = performance.now();
        await bareRun(options.semgrepEngine);
        bare.push(performance.now() - started);
        bench.progress?.('bench', ++done, steps);
        started = performance.now();
        await bareRun('python');
        barePython.push(performance.now() - started);
        bench.progress?.('bench', ++done, steps);
      }
      const total = median(scans.map((s) => s.total));
      const bareMs = median(bare);
      return {
        timing: {
          semgrep: median(scans.map((s) => s.semgrep)),
          secrets: median(scans.map((s) => s.secrets)),
          deps: median(scans.map((s) => s.deps)),
          total,
          bareSemgrep: bareMs,
          barePythonSemgrep: median(barePython),
          overheadPct: bareMs > 0 ? ((total - bareMs) / bareMs) * 100 : 0,
        },
        findings: scans[0]?.findings ?? 0,
      };
    };
    const project = await measure(undefined);
    const changed = await measure(change.length > 0 ? change : undefined);
    const fmt = (t: Timing) =>
      `total ${t.total.toFixed(0)} ms (semgrep ${t.semgrep.toFixed(0)}, secrets ${t.secrets.toFixed(0)}, deps ${t.deps.toFixed(0)}) vs bare semgrep ${t.bareSemgrep.toFixed(0)} ms: overhead ${t.overheadPct.toFixed(1)}% (bare Python CLI ${t.barePythonSemgrep.toFixed(0)} ms)`;
    return {
      path: target,
      machine: { cpus: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg()[0] ?? 0 },
      files: files.length,
      pythonFiles: py.length,
      pythonLoc: loc,
      findings: project.findings,
      runs: bench.runs,
      semgrepEngine: options.semgrepEngine,
      project: project.timing,
      change: { ...changed.timing, files: change.length },
      text: [
        `${target}: ${files.length} files, ${py.length} Python files, ${loc} lines, ${project.findings} findings; semgrep ${options.semgrepEngine} CLI; median of ${bench.runs}`,
        `project: ${fmt(project.timing)}`,
        `change (${change.length} files): ${fmt(changed.timing)}`,
      ].join('\n'),
    };
  };
  return ResultAsync.fromPromise(work(), (e): SecurityError =>
    typeof e === 'object' && e !== null && 'kind' in e ? (e as SecurityError) : makeError('io', `bench failed: ${describeUnknown(e)}`, { path: target }),
  );
}
