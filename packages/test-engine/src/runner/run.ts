import os from 'node:os';
import path from 'node:path';
import { makeError, resolveUserDirs, silentLogger, type Logger } from '@yantra/shared';
import { runProcess, scrubEnv, type RunResult } from '@yantra/shared/node';
import { err, errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseCoverageJson, type CoverageDetail } from '../coverage.js';
import { invalidInput, type TestEngineError } from '../errors.js';
import { parseJUnit, type JUnitReport } from '../junit/parse.js';
import type { RunEnvironment, RunnerError, TestCaseResult, TestReport } from '../report.js';
import { diagnose } from './diagnose.js';
import { defaultToolsPython, detectInterpreter, type Interpreter } from './interpreter.js';
import { PLUGIN_MODULE } from './plugin-source.js';
import { launchArgv, probeIsolation, type Isolation, type LaunchStep, type SandboxPlan } from './sandbox.js';
import { discardWorkDir, makeWorkDir, readBytesOptional, readOptional, removeWorkDir, resolveWorkspace, type WorkDir } from './workdir.js';

/** Options of {@link runTests}. Every field but `workspace` is optional. */
export interface RunTestsOptions {
  /** The project (in the pipeline, a shadow copy) whose tests run. pytest's cwd. */
  readonly workspace: string;
  /** pytest node ids or paths relative to the workspace. Default: the whole suite. */
  readonly tests?: readonly string[];
  /** Measure coverage with coverage.py. Default false. */
  readonly coverage?: boolean;
  /** Changed lines per workspace-relative file; implies `coverage`. */
  readonly changedLines?: Readonly<Record<string, readonly number[]>>;
  /** Wall-clock limit for the pytest run; the whole process tree is killed after it. Default 300 000. */
  readonly timeoutMs?: number;
  /** The project's interpreter. Default: detected (`.venv`, `venv`, then `python3`). */
  readonly python?: string;
  /** Yantra's tool venv Python, the fallback without pytest. Default `<repo>/.venv/bin/python`. */
  readonly toolsPython?: string;
  /** Rerun failed tests once and mark the ones that pass as flaky. Default false. */
  readonly rerunFailures?: boolean;
  /** `auto` uses the namespace sandbox when the machine allows it. Default `auto`. */
  readonly isolation?: 'auto' | Isolation;
  /** The environment the child's env is scrubbed from, and where the user's config dir is found. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** More paths to hide from tests (namespace isolation). The user's config dir and common credential files are always hidden. */
  readonly hidePaths?: readonly string[];
  /** ulimits for the test process. Defaults: 4096 MiB address space, 512 MiB largest file, 1024 open files. */
  readonly limits?: { readonly memoryMb?: number; readonly fileSizeMb?: number; readonly openFiles?: number };
  /** Record per-test coverage contexts (used by generation's keep rule). Default false. */
  readonly perTestCoverage?: boolean;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** A report plus the line-level coverage the generation keep rule needs. */
export interface DetailedRun {
  readonly report: TestReport;
  readonly coverage?: CoverageDetail;
}

const CREDENTIAL_FILES = ['.ssh', '.aws', '.netrc', '.gnupg', '.docker', '.npmrc', '.pypirc', '.git-credentials', '.config', '.kube', '.azure'];

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Secret locations hidden from tests, minus any that would also hide the workspace or the run's files. */
export function pathsToHide(env: NodeJS.ProcessEnv, extra: readonly string[], keep: readonly string[]): string[] {
  const home = env['HOME'] ?? os.homedir();
  const dirs = resolveUserDirs(env, home);
  const candidates = [dirs.config, path.dirname(dirs.config), ...CREDENTIAL_FILES.map((f) => path.join(home, f)), ...extra];
  const unique = [...new Set(candidates.map((p) => path.resolve(p)))];
  return unique.filter((p) => p !== '/' && !keep.some((k) => isInside(k, p) || isInside(p, k)));
}

function validateIds(tests: readonly string[] | undefined): TestEngineError | undefined {
  for (const id of tests ?? []) {
    if (typeof id !== 'string' || id.trim() === '') return invalidInput('tests', 'a test id is empty');
    if (id.startsWith('-')) return invalidInput('tests', `test id ${JSON.stringify(id)} looks like an option`);
    const file = id.split('::')[0] ?? '';
    if (path.isAbsolute(file) || file.split('/').includes('..') || id.includes('\0')) {
      return invalidInput('tests', `test id ${JSON.stringify(id)} points outside the workspace`);
    }
  }
  return undefined;
}

interface Prepared {
  readonly workspace: string;
  readonly work: WorkDir;
  readonly interpreter: Interpreter;
  readonly plan: SandboxPlan;
  readonly env: Record<string, string>;
}

function childEnv(options: RunTestsOptions, workspace: string, work: WorkDir, interpreter: Interpreter, toolsPython: string, perTest: boolean): Record<string, string> {
  const pythonPath = [work.pluginDir];
  // The tool venv knows nothing of the project; put the project (and a src/ layout) on the path.
  // (Also when the tool venv was passed explicitly as `python`, as generation does.)
  if (interpreter.source === 'tools' || path.resolve(interpreter.python) === path.resolve(toolsPython)) {
    pythonPath.push(workspace, path.join(workspace, 'src'));
  }
  return scrubEnv(options.env ?? process.env, {
    set: {
      HOME: work.home,
      TMPDIR: work.tmp,
      XDG_CONFIG_HOME: path.join(work.home, '.config'),
      XDG_CACHE_HOME: path.join(work.home, '.cache'),
      XDG_DATA_HOME: path.join(work.home, '.local', 'share'),
      // No PYTHONUNBUFFERED: pytest flushes its terminal output after every test anyway, and
      // unbuffered it would write (and wake this process) about twice as often. What a timeout
      // interrupted is read from the progress file, which is written record by record.
      PYTHONPATH: pythonPath.join(path.delimiter),
      PYTEST_YANTRA_PROGRESS: path.join(work.out, 'progress.bin'),
      ...(perTest ? { PYTEST_YANTRA_CONTEXTS: '1' } : {}),
    },
  });
}

/**
 * What a runner remembers between runs: probing the sandbox and the interpreter costs a few
 * Python start-ups, which would otherwise dominate small suites.
 */
/**
 * What the sandbox probe answered per interpreter, for this process: whether namespaces work is a
 * property of the machine (and of the interpreter having ctypes), so one-off `runTests` calls
 * need not pay a Python start-up for the probe each time. Filled lazily, never at import.
 */
const probedIsolation = new Map<string, Isolation>();

interface ProbeCache {
  isolation?: Isolation;
  readonly interpreters: Map<string, Interpreter>;
}

function prepare(options: RunTestsOptions, cache: ProbeCache): ResultAsync<Prepared, TestEngineError> {
  const badIds = validateIds(options.tests);
  if (badIds) return errAsync(badIds);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) return errAsync(invalidInput('timeoutMs', 'timeoutMs must be positive'));
  const needCoverage = options.coverage === true || options.changedLines !== undefined || options.perTestCoverage === true;
  return resolveWorkspace(options.workspace).andThen((workspace) =>
    makeWorkDir().andThen((work) => {
      const toolsPython = options.toolsPython ?? defaultToolsPython();
      const key = JSON.stringify([workspace, options.python ?? null, toolsPython, needCoverage]);
      const known = cache.interpreters.get(key);
      const interpreter: ResultAsync<Interpreter, TestEngineError> =
        known !== undefined
          ? okAsync(known)
          : detectInterpreter({
              workspace,
              toolsPython,
              env: options.env ?? process.env,
              needCoverage,
              ...(options.python === undefined ? {} : { python: options.python }),
            }).map((found) => {
              cache.interpreters.set(key, found);
              return found;
            });
      const wanted = options.isolation ?? 'auto';
      return interpreter
        .andThen((found) => {
          const env = childEnv(options, workspace, work, found, toolsPython, options.perTestCoverage === true);
          // The probe runs the launcher with the interpreter the tests will use, so it proves
          // exactly what the run needs; its answer is the machine's, so it is asked once per runner.
          const known = cache.isolation ?? probedIsolation.get(found.python);
          const isolation: ResultAsync<Isolation, never> =
            wanted !== 'auto'
              ? okAsync(wanted)
              : known !== undefined
                ? okAsync(known)
                : probeIsolation(found.python, work.launcher, work.root, env).map((iso) => {
                    probedIsolation.set(found.python, iso);
                    return (cache.isolation = iso);
                  });
          return isolation.map(
            (iso): Prepared => ({
              workspace,
              work,
              interpreter: found,
              plan: {
                isolation: iso,
                workspace,
                tempDir: work.root,
                hide: pathsToHide(options.env ?? process.env, options.hidePaths ?? [], [workspace, work.root, work.pluginDir, found.python]),
              },
              env,
            }),
          );
        })
        .orElse((e) => removeWorkDir(work).andThen(() => errAsync(e)));
    }),
  );
}

function run(p: Prepared, steps: readonly LaunchStep[], options: RunTestsOptions, timeoutMs: number, env: Record<string, string>): ResultAsync<RunResult, TestEngineError> {
  const limits = options.limits ?? {};
  const argv = launchArgv(p.interpreter.python, p.work.launcher, p.plan, {
    memoryMb: limits.memoryMb ?? 4096,
    fileSizeMb: limits.fileSizeMb ?? 512,
    openFiles: limits.openFiles ?? 1024,
  }, steps);
  (options.logger ?? silentLogger).debug('running pytest', { steps, isolation: p.plan.isolation });
  return runProcess({
    argv,
    cwd: p.workspace,
    env,
    timeoutMs,
    maxOutputBytes: 4 * 1024 * 1024,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }).mapErr((e): TestEngineError => makeError('spawn_failed', e.message, { program: e.program }));
}

interface OnePass {
  readonly result: RunResult;
  readonly junit: JUnitReport | undefined;
  readonly runnerError: RunnerError | undefined;
}

function pytestPass(p: Prepared, options: RunTestsOptions, tests: readonly string[] | undefined, withCoverage: boolean, tag: string): ResultAsync<OnePass, TestEngineError> {
  const junitPath = path.join(p.work.out, `junit-${tag}.xml`);
  const progressPath = path.join(p.work.out, 'progress.bin');
  // The JUnit XML goes into the run's temp dir through pytest's own --junitxml option, which the
  // plugin serves with its cheaper writer (PYTEST_YANTRA_JUNIT_WRITER).
  const pytestArgs = ['-p', 'no:cacheprovider', '-p', PLUGIN_MODULE, '-q', `--junitxml=${junitPath}`, ...(tests ?? [])];
  const steps: LaunchStep[] = withCoverage
    ? [
        { module: 'coverage', args: ['run', `--data-file=${coverageData(p)}`, `--source=${p.workspace}`, '-m', 'pytest', ...pytestArgs] },
        // In the same process right after the tests (one interpreter start-up less); a report
        // that fails is deleted, so only a complete one is ever read.
        {
          module: 'coverage',
          args: ['json', '-q', `--data-file=${coverageData(p)}`, '-o', coverageJson(p), '-i', ...(options.perTestCoverage === true ? ['--show-contexts'] : [])],
          removeOnFailure: coverageJson(p),
        },
      ]
    : [{ module: 'pytest', args: pytestArgs }];
  const timeoutMs = options.timeoutMs ?? 300_000;
  const env = { ...p.env, PYTEST_YANTRA_PROGRESS: progressPath, PYTEST_YANTRA_JUNIT_WRITER: '1' };
  return run(p, steps, options, timeoutMs, env).andThen((result) => {
    if (result.cancelled) return errAsync<OnePass, TestEngineError>(makeError('cancelled', 'the test run was cancelled'));
    return readOptional(junitPath).map((xml) => {
      const junit = xml === undefined ? undefined : parseJUnit(xml).unwrapOr(undefined);
      const runnerError = diagnose({
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        timeoutMs,
        output: `${result.stdout}\n${result.stderr}`,
        junit,
        progress: () => readBytesOptional(progressPath),
      });
      return { result, junit, runnerError };
    });
  });
}

const coverageData = (p: Prepared): string => path.join(p.work.out, '.coverage');
const coverageJson = (p: Prepared): string => path.join(p.work.out, 'coverage.json');

function coverageReport(p: Prepared, options: RunTestsOptions): ResultAsync<CoverageDetail | undefined, TestEngineError> {
  return readOptional(coverageJson(p)).map((json) => (json === undefined ? undefined : parseCoverageJson(json, p.workspace, options.changedLines).unwrapOr(undefined)));
}

function markFlaky(first: readonly TestCaseResult[], rerun: JUnitReport | undefined): TestCaseResult[] {
  const passedNow = new Set((rerun?.tests ?? []).filter((t) => t.outcome === 'passed').map((t) => t.nodeId));
  return first.map((t) => (t.outcome === 'failed' && passedNow.has(t.nodeId) ? { ...t, flaky: true } : t));
}

function assemble(p: Prepared, first: OnePass, tests: readonly TestCaseResult[], detail: CoverageDetail | undefined, durationMs: number): DetailedRun {
  const t = first.junit?.totals;
  const missingPytest = !p.interpreter.hasPytest;
  const runnerError: RunnerError | undefined = missingPytest
    ? { kind: 'pytest_missing', message: `pytest is not importable in ${p.interpreter.python} or the tool venv` }
    : first.runnerError;
  const environment: RunEnvironment = {
    python: p.interpreter.python,
    interpreterSource: p.interpreter.source,
    isolation: p.plan.isolation,
    ...(p.interpreter.note === undefined ? {} : { note: p.interpreter.note }),
  };
  const totals = t ?? { passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0 };
  const report: TestReport = {
    passed: totals.passed,
    failed: totals.failed,
    errors: totals.errors,
    skipped: totals.skipped,
    totals,
    durationMs: Math.round(durationMs),
    exitCode: first.result.exitCode,
    tests,
    ...(detail === undefined ? {} : { coverage: detail.report }),
    ...(runnerError === undefined ? {} : { runnerError }),
    environment,
  };
  return detail === undefined ? { report } : { report, coverage: detail };
}

function runWithCache(options: RunTestsOptions, cache: ProbeCache): ResultAsync<DetailedRun, TestEngineError> {
  const started = performance.now();
  const withCoverage = options.coverage === true || options.changedLines !== undefined || options.perTestCoverage === true;
  return prepare(options, cache).andThen((p) => {
    if (!p.interpreter.hasPytest) {
      const empty: OnePass = {
        result: { exitCode: null, signal: null, stdout: '', stderr: '', durationMs: 0, timedOut: false, cancelled: false, truncated: false },
        junit: undefined,
        runnerError: undefined,
      };
      return removeWorkDir(p.work).map(() => assemble(p, empty, [], undefined, performance.now() - started));
    }
    const body = pytestPass(p, options, options.tests, withCoverage, 'main').andThen((first) => {
      const detail: ResultAsync<CoverageDetail | undefined, TestEngineError> =
        withCoverage && first.runnerError?.kind !== 'timeout' ? coverageReport(p, options) : okAsync(undefined);
      return detail.andThen((cov) => {
        const tests: readonly TestCaseResult[] = first.junit?.tests ?? [];
        const failedIds = tests.filter((t) => t.outcome === 'failed').map((t) => t.nodeId);
        const rerun: ResultAsync<readonly TestCaseResult[], TestEngineError> =
          options.rerunFailures === true && failedIds.length > 0 && first.runnerError === undefined
            ? pytestPass(p, options, failedIds, false, 'rerun').map((again) => markFlaky(tests, again.junit))
            : okAsync(tests);
        return rerun.map((final) => assemble(p, first, final, cov, performance.now() - started));
      });
    });
    return body
      .map((v) => {
        discardWorkDir(p.work);
        return v;
      })
      .orElse((e) => removeWorkDir(p.work).andThen(() => err(e)));
  });
}

/**
 * Runs pytest in a subprocess inside `workspace` and returns a typed report. Failing tests and
 * runner-level problems (collection errors, timeouts, no tests) are part of the report
 * (`runnerError`); the error channel is for not being able to run at all.
 *
 * Safety: the run gets a wall-clock timeout that kills its whole process tree, a scrubbed env
 * (no API keys, no `YANTRA_*`, HOME and TMPDIR in a temp dir), the workspace as cwd, and ulimits.
 * Where the machine allows it (`environment.isolation === 'namespace'`), the tests also run in
 * private mount and PID namespaces: the filesystem is read-only except the workspace and the temp
 * dir, and the user's config dir and credential files are hidden.
 */
export function runTests(options: RunTestsOptions): ResultAsync<TestReport, TestEngineError> {
  return runWithCache(options, { interpreters: new Map() }).map((d) => d.report);
}

/** Like {@link runTests}, also returning line-level coverage data. */
export function runTestsDetailed(options: RunTestsOptions): ResultAsync<DetailedRun, TestEngineError> {
  return runWithCache(options, { interpreters: new Map() });
}

/** A runner that probes the sandbox and each workspace's interpreter once, then reuses the answers. */
export interface TestRunner {
  run(options: RunTestsOptions): ResultAsync<TestReport, TestEngineError>;
  runDetailed(options: RunTestsOptions): ResultAsync<DetailedRun, TestEngineError>;
}

/**
 * Creates a {@link TestRunner}; `defaults` are merged under each call's options. Use one per
 * session when running tests repeatedly (the pipeline's repair loop); the probes cost about
 * 0.2–0.5 s per run otherwise.
 */
export function createTestRunner(defaults: Partial<RunTestsOptions> = {}): TestRunner {
  const cache: ProbeCache = { interpreters: new Map() };
  return {
    run: (options) => runWithCache({ ...defaults, ...options }, cache).map((d) => d.report),
    runDetailed: (options) => runWithCache({ ...defaults, ...options }, cache),
  };
}

export { validateIds };
