/** How one test ended. `xpass` is a non-strict xfail that passed; strict ones are `failed`. */
export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped' | 'xfail' | 'xpass';

export interface TestCaseResult {
  /** The pytest node id, for example `tests/test_cart.py::TestCart::test_total[2]`. */
  readonly nodeId: string;
  readonly outcome: TestOutcome;
  readonly durationMs: number;
  /** Short reason: the assertion, skip or xfail message. */
  readonly message?: string;
  /** The failure's full text (traceback) for failed and error outcomes. */
  readonly traceback?: string;
  /** Set by flaky detection: the test failed, then passed on a rerun. */
  readonly flaky?: boolean;
}

export interface TestTotals {
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly xfailed: number;
  readonly xpassed: number;
  readonly total: number;
}

export interface FileCoverage {
  readonly percent: number;
  readonly statements: number;
  readonly covered: number;
  readonly missingLines: readonly number[];
}

export interface ChangedLinesCoverage {
  /** Covered changed statements over all changed statements, 0–100; 100 when nothing executable changed. */
  readonly percent: number;
  readonly covered: number;
  readonly total: number;
  readonly files: Readonly<Record<string, { readonly covered: readonly number[]; readonly missing: readonly number[] }>>;
}

export interface CoverageReport {
  readonly percent: number;
  /** Keyed by path relative to the workspace. */
  readonly files: Readonly<Record<string, FileCoverage>>;
  readonly changed?: ChangedLinesCoverage;
}

/** Why the run as a whole did not produce a normal result, diagnosed apart from test failures. */
export type RunnerErrorKind =
  | 'collection_error'
  | 'import_error'
  | 'pytest_missing'
  | 'no_tests'
  | 'interrupted'
  | 'timeout'
  | 'internal_error'
  | 'usage_error'
  | 'crashed';

export interface RunnerError {
  readonly kind: RunnerErrorKind;
  readonly message: string;
  /** Node ids or module paths involved (for example the files that failed to collect). */
  readonly where?: readonly string[];
  /** The last lines of pytest's output, for a human or an LLM to read. */
  readonly outputTail?: string;
}

/** What interpreter ran the tests and how confined it was. */
export interface RunEnvironment {
  readonly python: string;
  /** `project` when the project's own interpreter ran pytest, `tools` for Yantra's tool venv fallback. */
  readonly interpreterSource: 'configured' | 'venv' | 'system' | 'tools';
  /** Human note, for example why the tool venv was used. */
  readonly note?: string;
  /** `namespace`: private mount+PID namespace, read-only filesystem except the workspace. `env`: scrubbed env and HOME only. */
  readonly isolation: 'namespace' | 'env';
}

export interface TestReport {
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly totals: TestTotals;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly tests: readonly TestCaseResult[];
  readonly coverage?: CoverageReport;
  readonly runnerError?: RunnerError;
  readonly environment: RunEnvironment;
}
