export { runTests, runTestsDetailed, createTestRunner } from './runner/run.js';
export type { RunTestsOptions, DetailedRun, TestRunner } from './runner/run.js';
export { parseJUnit } from './junit/parse.js';
export type { JUnitReport } from './junit/parse.js';
export { parseCoverageJson, changedCoverage } from './coverage.js';
export type { CoverageDetail } from './coverage.js';
export type { TestEngineError, TestEngineErrorKind } from './errors.js';
export type {
  TestOutcome,
  TestCaseResult,
  TestTotals,
  TestReport,
  FileCoverage,
  CoverageReport,
  ChangedLinesCoverage,
  RunnerError,
  RunnerErrorKind,
  RunEnvironment,
} from './report.js';
