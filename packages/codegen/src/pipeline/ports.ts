import type { ResultAsync } from 'neverthrow';
import type { FileChange } from '../edits/change.js';
import type { GateName, GateStatus, Usage } from '../events.js';
import type { Intent } from './intent.js';

/** An error crossing a port: the capability packages' own typed errors fit this shape. */
export interface PortError {
  readonly kind: string;
  readonly message: string;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface LlmReply {
  readonly text: string;
  readonly provider: string;
  readonly model: string;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Generation. Wired to @yantra/llm-orchestrator. */
export interface LlmPort {
  complete(
    request: { readonly system: string; readonly messages: readonly ChatMessage[]; readonly maxTokens?: number },
    options: { readonly signal?: AbortSignal; readonly onToken?: (text: string) => void },
  ): ResultAsync<LlmReply, PortError>;
}

/** Project context for the prompt. Wired to @yantra/gnn. */
export interface ContextPort {
  context(input: {
    readonly projectRoot: string;
    readonly request: string;
    readonly intent: Intent;
    readonly budgetTokens: number;
  }): ResultAsync<string, PortError>;
}

/** Past verified mistakes. Wired to @yantra/learning. */
export interface MemoryPort {
  retrieve(input: { readonly request: string; readonly model: string }): ResultAsync<string, PortError>;
  record(input: {
    readonly model: string;
    readonly gate: GateName;
    readonly summary: string;
    /** The failing gate's details (failing tests, findings, breakages). */
    readonly details?: unknown;
    readonly files: readonly FileChange[];
    readonly projectRoot: string;
  }): ResultAsync<void, PortError>;
}

export interface GateContext {
  readonly projectRoot: string;
  readonly shadowRoot: string;
  readonly files: readonly FileChange[];
  readonly intent: Intent;
  readonly signal?: AbortSignal;
}

export interface GateVerdict {
  readonly status: GateStatus;
  readonly summary: string;
  readonly details?: unknown;
  /** Files a gate rewrote in the shadow (security auto-fix); merged into the change. */
  readonly rewritten?: readonly { readonly path: string; readonly after: string }[];
}

/** One validation gate, run in the shadow workspace. */
export interface Gate {
  readonly name: GateName;
  run(context: GateContext): ResultAsync<GateVerdict, PortError>;
}

export interface GateRecord {
  readonly gate: GateName;
  readonly status: GateStatus;
  readonly summary: string;
  readonly details?: unknown;
}

/** The final step: commit the validated change. Wired to @yantra/git-mcp's commit gate. */
export interface CommitPort {
  commit(input: {
    readonly projectRoot: string;
    readonly runId: string;
    readonly request: string;
    readonly files: readonly FileChange[];
    readonly gates: readonly GateRecord[];
  }): ResultAsync<{ readonly sha: string; readonly message: string }, PortError>;
}
