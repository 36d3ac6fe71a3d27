/**
 * The typed event stream of one run of the main job. The CLI renders it as progress (or NDJSON
 * with `--json`), the desktop app streams it to the renderer, and run logs store it. Every event
 * is a plain JSON object.
 */

/** The stages of the pipeline, in order (security before tests: its auto-fixes are what the tests validate). */
export const STAGES = [
  'intent',
  'context',
  'generate',
  'edits',
  'syntax',
  'graph',
  'security',
  'tests',
  'browser',
  'commit',
] as const;
export type Stage = (typeof STAGES)[number];

/** The gates a change must pass before it is committed. */
export type GateName = 'syntax' | 'graph' | 'tests' | 'security' | 'browser';

export type GateStatus = 'passed' | 'failed' | 'skipped';

export interface GateResult {
  readonly gate: GateName;
  readonly status: GateStatus;
  readonly ms: number;
  /** One-paragraph summary fit to feed back to the LLM when the gate failed. */
  readonly summary: string;
  /** Gate-specific details (breakages with sites, failing tests with tracebacks, findings...). */
  readonly details?: unknown;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
}

export type RunStatus = 'committed' | 'validated' | 'rejected' | 'failed' | 'cancelled';

export interface FinalOutcome {
  readonly status: RunStatus;
  readonly runId: string;
  readonly commit?: string;
  readonly files: readonly string[];
  readonly attempts: number;
  readonly gates: Partial<Record<GateName, GateStatus>>;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly ms: number;
  /** Why the run did not commit, when it did not. */
  readonly reason?: string;
  /**
   * Files the gates removed from the final change: the model's test files that passed but cover
   * no changed line the other tests miss (the test-engine keep rule). Never committed.
   */
  readonly dropped?: readonly { readonly path: string; readonly reason: string; readonly tests?: readonly string[] }[];
}

export type RunEvent =
  | { readonly type: 'run_started'; readonly runId: string; readonly request: string; readonly at: number }
  | { readonly type: 'stage_started'; readonly runId: string; readonly stage: Stage; readonly attempt: number; readonly at: number }
  | {
      readonly type: 'stage_progress';
      readonly runId: string;
      readonly stage: Stage;
      readonly message: string;
      readonly done?: number;
      readonly total?: number;
    }
  | {
      readonly type: 'stage_finished';
      readonly runId: string;
      readonly stage: Stage;
      readonly attempt: number;
      readonly ok: boolean;
      readonly ms: number;
      readonly summary?: string;
    }
  | {
      readonly type: 'intent';
      readonly runId: string;
      /** The intent the run goes on with. */
      readonly intent: {
        readonly action: string;
        readonly target: string;
        readonly constraints: readonly string[];
        readonly mentionedSymbols: readonly string[];
        readonly mentionedFiles: readonly string[];
        readonly resolvedSymbols?: readonly string[];
        readonly resolvedFiles?: readonly string[];
        readonly allowsTestEdits: boolean;
        readonly allowsDeletions: boolean;
      };
      /** `parsed` (deterministic) or `llm` (the model's validated JSON answer, asked only when the parse was ambiguous). */
      readonly source: 'parsed' | 'llm';
      /** Why the parse was ambiguous; empty when it was not. */
      readonly ambiguity: readonly string[];
      /** When the LLM was asked: whether its answer was accepted, and why not. */
      readonly fallback?: { readonly accepted: boolean; readonly reason?: string; readonly ms: number };
      readonly graph?: { readonly graphOpenMs?: number; readonly queryMs: number };
    }
  | { readonly type: 'token'; readonly runId: string; readonly text: string }
  | { readonly type: 'gate'; readonly runId: string; readonly attempt: number; readonly result: GateResult }
  | {
      readonly type: 'change';
      readonly runId: string;
      readonly attempt: number;
      /** Files of the proposed change: path, content before (null when new) and after. */
      readonly files: readonly { readonly path: string; readonly before: string | null; readonly after: string }[];
    }
  | { readonly type: 'repair'; readonly runId: string; readonly attempt: number; readonly feedback: string }
  | { readonly type: 'final'; readonly runId: string; readonly outcome: FinalOutcome };

export type RunEventListener = (event: RunEvent) => void;
