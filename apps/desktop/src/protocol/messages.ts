/**
 * The typed message protocol between the renderer and the backend. It is the same over both
 * transports (WebSocket in browser mode, IPC in Electron): the renderer sends a request and gets
 * one response; the backend pushes run events, numbered, on a separate stream. Everything here is
 * plain JSON and free of Node and DOM imports, so both sides can share it.
 */
import type { FinalOutcome, RunEvent } from '@yantra/codegen';

/** Providers the settings screen can toggle between. */
export const PROVIDERS = ['anthropic', 'openai', 'compatible', 'local'] as const;
export type Provider = (typeof PROVIDERS)[number];
/** Providers that take an API key. */
export const KEYED_PROVIDERS = ['anthropic', 'openai', 'compatible'] as const;
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number];

/** What the renderer may know about the LLM config: never a key, only whether one is set. */
export interface SanitizedSettings {
  readonly primary: Provider;
  readonly anthropicConfigured: boolean;
  readonly openaiConfigured: boolean;
  readonly compatibleConfigured: boolean;
  readonly localConfigured: boolean;
  readonly configPath: string;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** Breaker states and usage so far, per provider, as the LLM layer reports them. */
export interface UsageReport {
  readonly providers: readonly {
    readonly provider: Provider;
    readonly breaker: BreakerState;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly costUsd: number;
  }[];
  readonly totalCostUsd: number;
}

/** One recorded mistake pattern (from the learning package). */
export interface MistakePattern {
  readonly id: string;
  readonly category: string;
  readonly description: string;
  readonly example?: string;
  readonly fix?: string;
  readonly occurrences: number;
  readonly lastSeen: string;
  readonly archived: boolean;
  /** Similarity to the search query, when the list answers a search. */
  readonly score?: number;
}

export interface MistakeQuery {
  readonly category?: string;
  readonly search?: string;
  readonly includeArchived?: boolean;
}

export interface ProjectInfo {
  readonly dir: string;
  /** True when `<dir>/.yantra` exists. */
  readonly initialized: boolean;
  readonly stats: { readonly files: number; readonly functions: number; readonly classes: number; readonly edges: number } | null;
}

/** Summary of a run the backend knows about. */
export interface RunSummary {
  readonly runId: string;
  readonly request: string;
  readonly lastSeq: number;
  readonly outcome?: FinalOutcome;
}

/**
 * Every request the renderer can send, with its parameters and the value of a successful
 * response. The keys are the wire names.
 */
export interface Messages {
  'run.start': { params: { request: string; provider?: Provider }; result: { runId: string } };
  'run.cancel': { params: { runId: string }; result: { cancelled: boolean } };
  'run.retry': { params: { runId: string }; result: { runId: string } };
  'run.list': { params: Record<string, never>; result: { runs: readonly RunSummary[] } };
  /** Asks the backend to push again every event after `afterSeq` (used after a reconnect). */
  'events.replay': { params: { afterSeq: number }; result: { replayed: number; lastSeq: number } };
  'settings.get': { params: Record<string, never>; result: SanitizedSettings };
  'settings.saveKey': { params: { provider: KeyedProvider; key: string }; result: SanitizedSettings };
  'settings.clearKey': { params: { provider: KeyedProvider }; result: SanitizedSettings };
  'settings.setPrimary': { params: { provider: Provider }; result: SanitizedSettings };
  'usage.get': { params: Record<string, never>; result: UsageReport };
  'mistakes.list': { params: MistakeQuery; result: { patterns: readonly MistakePattern[] } };
  'mistakes.archive': { params: { id: string }; result: { archived: boolean } };
  'mistakes.clear': { params: Record<string, never>; result: { cleared: number } };
  'mistakes.export': { params: Record<string, never>; result: { json: string } };
  'project.get': { params: Record<string, never>; result: ProjectInfo };
  'project.open': { params: { dir: string }; result: ProjectInfo };
  'project.init': { params: Record<string, never>; result: ProjectInfo };
}

export type MessageType = keyof Messages;
export type ParamsOf<K extends MessageType> = Messages[K]['params'];
export type ResultOf<K extends MessageType> = Messages[K]['result'];

/** The closed set of errors a request can answer with. */
export type BackendErrorKind =
  | 'bad_request'
  | 'not_found'
  | 'busy'
  | 'settings_failed'
  | 'port_failed'
  | 'disconnected'
  | 'internal';

export interface BackendError {
  readonly kind: BackendErrorKind;
  readonly message: string;
  readonly retryable: boolean;
}

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BackendError };

/** Client → server frame. */
export interface RequestFrame<K extends MessageType = MessageType> {
  readonly id: number;
  readonly type: K;
  readonly params: ParamsOf<K>;
}

/** A run event with its position in the backend's run log. `seq` grows by one across all runs. */
export interface SequencedEvent {
  readonly seq: number;
  readonly event: RunEvent;
}

/** Server → client frames. */
export type ServerFrame =
  | { readonly kind: 'hello'; readonly lastSeq: number; readonly version: string }
  | { readonly kind: 'response'; readonly id: number; readonly reply: Reply<unknown> }
  | ({ readonly kind: 'event' } & SequencedEvent);

/** The one interface the renderer talks through: WebSocket in browser mode, IPC in Electron. */
export interface Transport {
  request<K extends MessageType>(type: K, params: ParamsOf<K>): Promise<Reply<ResultOf<K>>>;
  /** Subscribes to the event stream; events arrive in `seq` order without duplicates. */
  onEvent(listener: (e: SequencedEvent) => void): () => void;
  /** Subscribes to connection state changes. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export function backendError(kind: BackendErrorKind, message: string, retryable = false): BackendError {
  return { kind, message, retryable };
}
