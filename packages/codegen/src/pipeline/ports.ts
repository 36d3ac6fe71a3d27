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

/** Time spent on the project graph by one port call. */
export interface GraphTiming {
  /** Opening (and building or updating) the graph database, when this call opened it. */
  readonly graphOpenMs?: number;
  /** The query itself (lookups, ranking). */
  readonly queryMs: number;
}

/** Project context for the prompt, fitted to the budget. */
export interface ContextBlock extends GraphTiming {
  readonly text: string;
}

/** Project context for the prompt. Wired to @yantra/gnn. */
export interface ContextPort {
  context(input: {
    readonly projectRoot: string;
    readonly request: string;
    readonly intent: Intent;
    readonly budgetTokens: number;
  }): ResultAsync<ContextBlock, PortError>;
}

/** A definition in the project graph that a mention can refer to. */
export interface SymbolMatch {
  readonly id: string;
  readonly kind: string;
  readonly file: string;
}

/** What the request's mentions resolve to in the project graph. */
export interface SymbolLookup extends GraphTiming {
  /** Per mentioned symbol: the definitions it can name (empty when none). */
  readonly symbols: Readonly<Record<string, readonly SymbolMatch[]>>;
  /** Per mentioned path: the project files it can name. */
  readonly files: Readonly<Record<string, readonly string[]>>;
}

/** Matches a request's identifiers and paths against the project graph. Wired to @yantra/gnn. */
export interface SymbolIndexPort {
  lookup(input: { readonly projectRoot: string; readonly symbols: readonly string[]; readonly files: readonly string[] }): ResultAsync<SymbolLookup, PortError>;
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
  /** New files the gate judged useless (generated tests that add no coverage); removed from the change, not a failure. */
  readonly dropped?: readonly DroppedFile[];
}

/** A file removed from the change by a gate, and why. */
export interface DroppedFile {
  readonly path: string;
  /** e.g. `no_new_coverage`. */
  readonly reason: string;
  /** The test node ids it held, when it is a test file. */
  readonly tests?: readonly string[];
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
