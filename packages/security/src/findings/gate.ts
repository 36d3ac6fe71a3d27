import { SEVERITIES, type Finding, type Severity } from './types.js';

export interface GatePolicy {
  /** The least severe level that blocks. Default `critical`: only criticals block. */
  readonly blockOn?: Severity;
  /** Rules never blocking (findings still reported). */
  readonly ignoreRules?: readonly string[];
}

export interface GateResult {
  readonly blocked: boolean;
  readonly reasons: string[];
}

/** True when `s` is at least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(threshold);
}

/** Decides whether findings block a change: any remaining finding at or above `blockOn` does. */
export function gate(findings: readonly Finding[], policy: GatePolicy = {}): GateResult {
  const threshold = policy.blockOn ?? 'critical';
  const ignored = new Set(policy.ignoreRules ?? []);
  const reasons = findings
    .filter((f) => atLeast(f.severity, threshold) && !ignored.has(f.rule))
    .map((f) => `${f.severity} ${f.rule} at ${f.file}:${f.range.startLine}: ${f.message}`);
  return { blocked: reasons.length > 0, reasons };
}
