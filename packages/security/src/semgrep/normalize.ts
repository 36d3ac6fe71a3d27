import { findingId } from '../findings/id.js';
import type { LineIndex } from '../findings/source.js';
import { SEVERITIES, type Finding, type Severity } from '../findings/types.js';
import { redact } from '../secrets/redact.js';
import type { SemgrepResult } from './run.js';

const FALLBACK: Record<string, Severity> = { ERROR: 'high', WARNING: 'medium', INFO: 'low' };

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `check_id` is prefixed with the rules directory path; the rule's own id is the last part. */
export function ruleName(checkId: string): string {
  const dot = checkId.lastIndexOf('.');
  return dot === -1 ? checkId : checkId.slice(dot + 1);
}

/** Maps a semgrep result to a Finding; `index` is the file's text, for the redacted snippet. */
export function normalizeSemgrep(result: SemgrepResult, file: string, index: LineIndex): Finding {
  const meta = result.extra.metadata ?? {};
  const declared = meta['yantra-severity'];
  const severity: Severity =
    typeof declared === 'string' && (SEVERITIES as readonly string[]).includes(declared)
      ? (declared as Severity)
      : (FALLBACK[result.extra.severity] ?? 'medium');
  const conf = meta['confidence'];
  const confidence = conf === 'high' || conf === 'medium' || conf === 'low' ? conf : 'medium';
  const rule = ruleName(result.check_id);
  const range = {
    startLine: result.start.line,
    startCol: result.start.col,
    endLine: result.end.line,
    endCol: result.end.col,
  };
  const cwe = stringList(meta['cwe']).map((c) => c.split(':')[0]?.trim() ?? c);
  return {
    id: findingId('semgrep', rule, file, range),
    engine: 'semgrep',
    rule,
    cwe,
    owasp: stringList(meta['owasp']),
    severity,
    confidence,
    file,
    range,
    message: result.extra.message.trim(),
    snippet: index.snippet(range),
    ...(result.extra.fix === undefined ? {} : { fix: redact(result.extra.fix) }),
  };
}
