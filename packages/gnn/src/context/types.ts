import type { GraphEngine } from '../engine.js';
import type { NodeKind } from '../types.js';

/** Input of {@link rankContext}. */
export interface RankContextOptions {
  readonly engine: GraphEngine;
  /** Identifiers the request mentions: qualified ids (`pkg.mod.f`), short names (`f`) or file paths. */
  readonly mentions: readonly string[];
  /** Files the request is about (project-relative or absolute). */
  readonly files?: readonly string[];
  /** Files open in the editor or being edited; weighted above `files`. */
  readonly focusFiles?: readonly string[];
  /** Default 4000. */
  readonly budgetTokens?: number;
  /** The request text; identifiers in it count as weak mentions. */
  readonly request?: string;
}

/** One symbol chosen for the prompt. */
export interface ContextItem {
  readonly id: string;
  readonly kind: NodeKind;
  readonly file: string;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly score: number;
  /** `full` source, or the `signature` line(s) plus docstring. */
  readonly detail: 'full' | 'signature';
  readonly code: string;
  readonly tokens: number;
  /** Why it was chosen, e.g. `mentioned`, `callee of pkg.a.f`, `rank 0.031`. */
  readonly why: string;
}

/** What {@link rankContext} returns. */
export interface RankedContext {
  readonly items: ContextItem[];
  readonly budgetTokens: number;
  readonly usedTokens: number;
  /** The ids the ranking was personalised on. */
  readonly seeds: string[];
  /** Whether the ranking came from the cache (same graph version and personalization). */
  readonly cached: boolean;
  readonly ms: number;
}
