import type { GraphEngine } from '../engine.js';

/** The kinds of breakage the guard reports. */
export type BreakageKind =
  | 'removed_or_renamed'
  | 'signature_incompatible'
  | 'override_incompatible'
  | 'unresolved_name'
  | 'unresolved_import'
  | 'module_removed'
  | 'return_shape_changed'
  | 'syntax_error';

/** A place that the change breaks: the referencing symbol and where it is. */
export interface BreakageSite {
  /** Project-relative POSIX path. */
  readonly file: string;
  readonly line: number;
  /** Qualified id of the referencing scope (module, class or function). */
  readonly symbol: string;
}

/** One way the change breaks existing code. */
export interface Breakage {
  readonly kind: BreakageKind;
  /** The changed symbol (qualified id), or the unresolved name / module. */
  readonly symbol: string;
  /** Every affected site. */
  readonly sites: readonly BreakageSite[];
  /** One line, fit to feed back to an LLM. */
  readonly explanation: string;
}

/** What {@link validateChange} found. */
export interface ValidationResult {
  /** False when some file could not be read or parsed enough to judge it. */
  readonly complete: boolean;
  readonly breakages: Breakage[];
  readonly ms: number;
}

/** Input of {@link validateChange}. */
export interface ValidateChangeOptions {
  /** The project's graph before the change (built or opened). */
  readonly before: GraphEngine;
  /** A full copy of the project with the change applied; never the user's tree. */
  readonly shadowRoot: string;
  /** Changed, added or deleted files (absolute or relative to `shadowRoot`). */
  readonly changedFiles: readonly string[];
}
