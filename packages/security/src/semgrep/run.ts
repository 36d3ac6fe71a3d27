import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import type { SecurityError } from '../findings/types.js';

/** One raw result from `semgrep scan --json` (only the fields Yantra reads). */
export interface SemgrepResult {
  readonly check_id: string;
  readonly path: string;
  readonly start: { line: number; col: number; offset: number };
  readonly end: { line: number; col: number; offset: number };
  readonly extra: {
    readonly message: string;
    readonly severity: string;
    readonly fix?: string;
    readonly metadata?: Record<string, unknown>;
  };
}

/**
 * Which semgrep CLI front end runs the scan. `native` is the OCaml CLI (`semgrep scan
 * --experimental`, "osemgrep"): same engine and rules, but it starts in about 0.3 s where the
 * Python wrapper (`python`, "pysemgrep") takes about 2.5 s. Yantra's rule tests pin that both give
 * identical findings.
 */
export type SemgrepEngine = 'native' | 'python';

export interface SemgrepRunOptions {
  readonly semgrepPath: string;
  /** Default `native`; a native run that fails outright is retried once with `python`. */
  readonly engine?: SemgrepEngine;
  readonly rulesDir: string;
  /** Directory semgrep runs in; targets are relative to it. */
  readonly cwd: string;
  /** Directories or files to scan. Directories are preferred: semgrep starts a process per path. */
  readonly targets: readonly string[];
  readonly timeoutMs: number;
  readonly jobs?: number;
  readonly signal?: AbortSignal;
}

export interface SemgrepRun {
  readonly results: readonly SemgrepResult[];
  readonly scanned: readonly string[];
  readonly errors: readonly string[];
  readonly durationMs: number;
  /** The front end that produced these results (after any fallback). */
  readonly engine: SemgrepEngine;
}

interface SemgrepJson {
  results?: SemgrepResult[];
  errors?: Array<{ message?: string; level?: string }>;
  paths?: { scanned?: string[] };
}

/**
 * Runs semgrep offline on local rules: no metrics, no version check, a throwaway HOME, a
 * scrubbed environment. Findings are results; only a failed or unparseable run is an error.
 */
export function runSemgrep(options: SemgrepRunOptions): ResultAsync<SemgrepRun, SecurityError> {
  const engine = options.engine ?? 'native';
  if (options.targets.length === 0) return okAsync({ results: [], scanned: [], errors: [], durationMs: 0, engine });
  const first = runOnce(options, engine);
  if (engine === 'python') return first;
  // Only a failed native run falls back; timeouts, cancellation and a missing binary do not.
  return first.orElse((e) =>
    e.kind === 'tool_failed'
      ? runOnce(options, 'python').map((run) => ({ ...run, errors: [`native semgrep failed, used the Python CLI: ${e.message}`, ...run.errors] }))
      : errAsync(e),
  );
}

function runOnce(options: SemgrepRunOptions, engine: SemgrepEngine): ResultAsync<SemgrepRun, SecurityError> {
  const home = ResultAsync.fromPromise(fs.mkdtemp(path.join(os.tmpdir(), 'yantra-semgrep-')), (e) =>
    makeError('io', `cannot create a temp HOME: ${describeUnknown(e)}`, { path: os.tmpdir() }),
  );
  return home.andThen((homeDir) => {
    const cleanup = () => fs.rm(homeDir, { recursive: true, force: true }).catch(() => undefined);
    const argv: [string, ...string[]] = [
      options.semgrepPath,
      'scan',
      ...(engine === 'native' ? ['--experimental'] : []),
      '--config',
      options.rulesDir,
      '--metrics=off',
      '--disable-version-check',
      '--json',
      '--quiet',
      '--no-git-ignore',
      '--jobs',
      String(options.jobs ?? Math.max(1, Math.min(2, os.availableParallelism()))),
      '--timeout',
      '20',
      '--',
      ...options.targets,
    ];
    return runProcess({
      argv,
      cwd: options.cwd,
      env: scrubEnv(process.env, { set: { HOME: homeDir, SEMGREP_SEND_METRICS: 'off', XDG_CONFIG_HOME: homeDir } }),
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      maxOutputBytes: 256 * 1024 * 1024,
    })
      .mapErr((e): SecurityError => {
        void cleanup();
        return makeError('tool_missing', `semgrep not runnable at ${options.semgrepPath}: ${e.message}`, { tool: 'semgrep' });
      })
      .andThen((r) => {
        void cleanup();
        if (r.timedOut) return errAsync(makeError('timeout', `semgrep took longer than ${options.timeoutMs} ms`, { tool: 'semgrep' }));
        if (r.cancelled) return errAsync(makeError('timeout', 'semgrep was cancelled', { tool: 'semgrep' }));
        let parsed: SemgrepJson;
        try {
          parsed = JSON.parse(r.stdout) as SemgrepJson;
        } catch {
          return errAsync(
            makeError('tool_failed', `semgrep exited ${String(r.exitCode)} without JSON output`, {
              tool: 'semgrep',
              exitCode: r.exitCode,
              stderr: r.stderr.slice(-2000),
            }),
          );
        }
        // Exit 1 means findings; 2 and above with no results means semgrep itself failed.
        const errors = (parsed.errors ?? []).map((e) => e.message ?? 'semgrep error');
        if ((r.exitCode ?? 0) >= 2 && (parsed.results ?? []).length === 0 && errors.length > 0) {
          return errAsync(
            makeError('tool_failed', `semgrep failed: ${errors[0] ?? ''}`.slice(0, 500), {
              tool: 'semgrep',
              exitCode: r.exitCode,
              stderr: r.stderr.slice(-2000),
            }),
          );
        }
        return okAsync({
          results: parsed.results ?? [],
          scanned: parsed.paths?.scanned ?? [],
          errors,
          durationMs: r.durationMs,
          engine,
        });
      });
  });
}
