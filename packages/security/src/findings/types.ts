import type { YantraError } from '@yantra/shared';

/** Severity scale shared by every engine, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Engine = 'semgrep' | 'secrets' | 'deps';

/** 1-based lines and columns; `endCol` is exclusive. */
export interface Range {
  readonly startLine: number;
  readonly startCol: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** A normalized finding, identical in shape whatever engine produced it. */
export interface Finding {
  /** Stable id: engine, rule, file and range hashed, so the same issue keeps its id across runs. */
  readonly id: string;
  readonly engine: Engine;
  readonly rule: string;
  /** For example `['CWE-89']`. */
  readonly cwe: readonly string[];
  /** For example `['A03:2021 - Injection']`. */
  readonly owasp: readonly string[];
  readonly severity: Severity;
  readonly confidence: 'high' | 'medium' | 'low';
  /** Path relative to the scan root, with forward slashes. */
  readonly file: string;
  readonly range: Range;
  readonly message: string;
  /** The matched source, with every secret redacted. */
  readonly snippet: string;
  /** A suggested replacement for the matched range, when the rule has a safe one. */
  readonly fix?: string;
  /** Extra facts, such as advisory ids and fixed versions for dependency findings. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A fix that was applied and verified (re-parsed and re-scanned). */
export interface AppliedFix {
  readonly file: string;
  readonly rule: string;
  readonly findingId: string;
  readonly description: string;
  /** Extra action the user must take, such as rotating a leaked secret. */
  readonly notice?: string;
}

/** A fix that was tried and dropped, with why. */
export interface RejectedFix {
  readonly file: string;
  readonly rule: string;
  readonly findingId: string;
  readonly reason: string;
}

export interface ScanReport {
  readonly root: string;
  /** Findings that remain after any fixes. */
  readonly findings: readonly Finding[];
  readonly fixed: readonly AppliedFix[];
  readonly rejected: readonly RejectedFix[];
  /** Wall time per engine, and `total`, in milliseconds. */
  readonly timings: Readonly<Record<'semgrep' | 'secrets' | 'deps' | 'fix' | 'total', number>>;
  readonly filesScanned: number;
}

/** The closed union of errors at this package's boundary. */
export type SecurityError =
  | (YantraError<'bad_input'> & { readonly path?: string })
  | (YantraError<'tool_missing'> & { readonly tool: string })
  | (YantraError<'tool_failed'> & { readonly tool: string; readonly exitCode: number | null; readonly stderr: string })
  | (YantraError<'timeout'> & { readonly tool: string })
  | (YantraError<'io'> & { readonly path: string })
  | (YantraError<'db_invalid'> & { readonly path: string });

export type SecurityErrorKind = SecurityError['kind'];
