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
export { generateTests } from './generation/generate.js';
export { graphCollaborators } from './generation/graph-collaborators.js';
export type { GraphCollaboratorsOptions } from './generation/graph-collaborators.js';
export type { GenerateTestsOptions, GenerationReport, GenerationAttempt } from './generation/generate.js';
export type { GeneratedTestVerdict } from './generation/keep.js';
export type { Complete, FailureEvidence, FailureJudgement, Prompt } from './generation/prompt.js';
export type { TestPlan, PlanCase, PlanCaseKind } from './generation/plan.js';
export type { CodeAnalysis, FunctionInfo, ParamInfo, RaiseInfo, TestStyle } from './generation/analysis.js';
