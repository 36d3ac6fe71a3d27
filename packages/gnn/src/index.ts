export { createGraphEngine, DEFAULT_PARALLEL_THRESHOLD } from './engine.js';
export type {
  GraphEngine,
  GraphEngineOptions,
  BuildReport,
  BuildOptions,
  OpenOptions,
  UpdateReport,
  OpenReport,
  GraphStats,
  FindQuery,
  WatchOptions,
  Watcher,
} from './engine.js';
export type { GraphNode, GraphEdge, NodeKind, EdgeKind, Confidence, Signature, Parameter, Diagnostic } from './types.js';
export type { GnnError, GnnErrorKind } from './errors.js';
export type { CodeGraph } from './graph/code-graph.js';
export type { TraverseOptions, ImpactReport } from './graph/queries.js';
export { traverse, shortestPath, impactOf, pytestId, isTestFile } from './graph/queries.js';
export type { PyCGCallGraph } from './callgraph.js';
export { runBench } from './bench.js';
export type { BenchOptions, BenchReport } from './bench.js';
export { validateChange } from './guard/validate.js';
export type { Breakage, BreakageKind, BreakageSite, ValidationResult, ValidateChangeOptions } from './guard/types.js';
export { runGuardBench } from './guard/bench.js';
export type { GuardBenchOptions, GuardBenchReport } from './guard/bench.js';
export { rankContext, renderContext } from './context/rank.js';
export { estimateTokens } from './context/tokens.js';
export type { RankContextOptions, RankedContext, ContextItem } from './context/types.js';
