/**
 * The ports the backend composes. Each is a narrow interface the app wires to a package:
 * the pipeline to `@yantra/codegen`, mistakes to `@yantra/learning`, usage to
 * `@yantra/llm-orchestrator`, project stats to `@yantra/gnn`. The backend never knows which.
 */
import type { FinalOutcome, RunEvent } from '@yantra/codegen';
import type { MistakePattern, MistakeQuery, ProjectInfo, Provider, UsageReport } from '../protocol/messages.js';

export interface PipelineRequest {
  readonly dir: string;
  readonly request: string;
  readonly provider?: string;
}

export interface PipelineRunOptions {
  onEvent(e: RunEvent): void;
  readonly signal: AbortSignal;
}

/**
 * Runs the main job for one request. It emits every event through `onEvent` (ending with a
 * `final` event) and resolves with the outcome; it resolves with `status: 'cancelled'` when
 * `signal` aborts rather than rejecting.
 */
export interface Pipeline {
  run(request: PipelineRequest, opts: PipelineRunOptions): Promise<FinalOutcome>;
}

/** The mistake patterns learned from past runs. */
export interface MistakesPort {
  list(query: MistakeQuery): Promise<readonly MistakePattern[]>;
  archive(id: string): Promise<boolean>;
  clear(): Promise<number>;
  exportJson(): Promise<string>;
}

/** Breaker states, usage and cost of the LLM layer. */
export interface UsagePort {
  report(): Promise<UsageReport>;
}

/** Opening, initialising and describing a project folder. */
export interface ProjectPort {
  describe(dir: string): Promise<ProjectInfo>;
  init(dir: string): Promise<ProjectInfo>;
}

export type { Provider };
