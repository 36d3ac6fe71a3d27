export { STAGES } from './events.js';
export type {
  Stage,
  GateName,
  GateStatus,
  GateResult,
  Usage,
  RunStatus,
  FinalOutcome,
  RunEvent,
  RunEventListener,
} from './events.js';
export { createPipeline } from './pipeline/run.js';
export type { Pipeline, PipelineOptions, RunRequest, RunHooks } from './pipeline/run.js';
export type {
  LlmPort,
  LlmReply,
  ChatMessage,
  ContextPort,
  MemoryPort,
  Gate,
  GateContext,
  GateVerdict,
  GateRecord,
  CommitPort,
  PortError,
  DroppedFile,
  ContextBlock,
  GraphTiming,
  SymbolIndexPort,
  SymbolLookup,
  SymbolMatch,
} from './pipeline/ports.js';
export { parseIntent, parseRequest, ACTIONS } from './pipeline/intent.js';
export type { Intent, Action, ParsedRequest } from './pipeline/intent.js';
export { resolveIntent, parseLlmIntent } from './pipeline/intent-resolve.js';
export type { IntentResolution, ResolveIntentInput } from './pipeline/intent-resolve.js';
export { buildPrompt, buildRepairMessage } from './pipeline/prompt.js';
export { parseEditBlocks } from './edits/parse.js';
export type { EditBlock, ParsedEdits } from './edits/parse.js';
export { buildChange, reviewChange, checkEditPath } from './edits/change.js';
export type { FileChange, ChangeWarning } from './edits/change.js';
export type { ApplyProblem } from './edits/apply.js';
export { createShadowWorkspace, applyToWorkingTree } from './workspace/shadow.js';
export type { ShadowWorkspace, WorkspaceError } from './workspace/shadow.js';
export { createSyntaxGate } from './gates/syntax.js';
export { prepareDemo } from './demo.js';
export type { DemoError, DemoOptions, DemoReport } from './demo.js';
export { createServices } from './compose/services.js';
export type { Services, ServicesOptions } from './compose/services.js';
export { resolveToolchain, checkToolchain } from './toolchain.js';
export type { Toolchain, ToolCheck } from './toolchain.js';
export { runCodegenBench, assembleLargeProject } from './bench.js';
export type { CodegenBenchOptions, CodegenBenchReport } from './bench.js';
export { buildRunReport, writeRunReport } from './pipeline/run-report.js';
export type { RunReport, RunTimings } from './pipeline/run-report.js';
