import type { Category, Severity } from '../pattern.js';

/**
 * One failing test, as the test engine reports it (its `TestCaseResult` fits this shape). Needs a
 * `message` or a `traceback`.
 */
export interface TestFailureInput {
  /** The pytest node id, for example `tests/test_cart.py::test_total`. */
  readonly nodeId: string;
  /** The exception class, for example `ImportError`; guessed from the message or traceback when absent. */
  readonly errorType?: string;
  readonly message?: string;
  readonly traceback?: string;
  readonly file?: string;
  readonly line?: number;
}

/**
 * One security finding, as the security scanner reports it (its `Finding` fits this shape). Only
 * high and critical findings are learned.
 */
export interface SecurityFindingInput {
  readonly rule: string;
  readonly severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly range?: { readonly startLine: number };
  /** The matched source (already redacted by the scanner; redacted here again). */
  readonly snippet?: string;
  /** For example `['CWE-89']`. */
  readonly cwe?: readonly string[];
}

/** One graph breakage, as the graph validator reports it. */
export interface GraphBreakageInput {
  /** For example `removed_symbol_referenced`, `signature_mismatch`, `unresolved_import`, `unresolved_name`, `broken_subclass`. */
  readonly kind: string;
  readonly symbol: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

interface Common {
  /** The LLM that produced the code (patterns are kept per model). */
  readonly model: string;
  /** The generated code the failure points at; only the relevant lines are kept. */
  readonly generatedCode?: string;
  readonly filePath?: string;
  /** Defaults to the store's project root. */
  readonly projectPath?: string;
  /** Milliseconds since the epoch; defaults to the store's clock. */
  readonly timestamp?: number;
}

/** Evidence that a model made a mistake. Each variant is a plain, JSON-friendly object. */
export type MistakeInput =
  | (Common & { readonly source: 'test'; readonly failure: TestFailureInput })
  | (Common & { readonly source: 'security'; readonly finding: SecurityFindingInput })
  | (Common & { readonly source: 'graph'; readonly breakage: GraphBreakageInput })
  | (Common & {
      readonly source: 'correction';
      /** The user's chat message. */
      readonly message: string;
      /** The code the model generated just before the correction. */
      readonly previousCode?: string;
    })
  | (Common & {
      readonly source: 'manual';
      readonly category: Category;
      readonly severity: Severity;
      readonly description: string;
      readonly errorType?: string;
      readonly goodExample?: string;
    });
