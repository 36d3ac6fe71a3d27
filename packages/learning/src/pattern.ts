/** What kind of mistake a pattern is. */
export const CATEGORIES = ['syntax', 'async', 'type', 'import', 'security', 'test', 'dependency', 'style', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['critical', 'major', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where the evidence for a mistake came from. */
export const SOURCES = ['test', 'security', 'graph', 'correction', 'manual'] as const;
export type PatternSource = (typeof SOURCES)[number];

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}
export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** A stored mistake: one row per (model, error signature); repeats raise `frequency`. */
export interface MistakePattern {
  readonly id: string;
  readonly vectorId: string;
  readonly modelName: string;
  /** Hash of the error type plus the normalized context; equal signatures are the same mistake. */
  readonly errorSignature: string;
  readonly errorType: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly source: PatternSource;
  /** One sanitized line saying what went wrong; this is the text that is embedded. */
  readonly description: string;
  /** The offending code, sanitized and cut to the relevant lines. */
  readonly badExample: string | null;
  /** What worked instead, when known. */
  readonly goodExample: string | null;
  readonly frequency: number;
  /** Milliseconds since the epoch. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly fixApplied: boolean;
  readonly userCorrections: number;
  readonly testFailures: number;
  readonly archived: boolean;
  readonly embedderId: string;
}
