import type { Category, PatternSource, Severity } from '../pattern.js';
import { relevantExcerpt, type Redact } from '../sanitize.js';
import { categoryFromText, classifyBreakage, classifyFailure, guessErrorType } from './classify.js';
import { detectCorrection } from './correction.js';
import type { MistakeInput } from './inputs.js';
import { errorSignature } from './signature.js';

/** A mistake ready to store: classified, sanitized and cut to the relevant lines. */
export interface DetectedMistake {
  readonly source: PatternSource;
  readonly category: Category;
  readonly severity: Severity;
  readonly errorType: string;
  readonly errorSignature: string;
  readonly description: string;
  readonly badExample: string | null;
  readonly goodExample: string | null;
  readonly errorMessage: string;
  readonly filePath: string | null;
}

/** Why an input was not learned. */
export type IgnoreReason = 'not_a_correction' | 'below_severity_threshold';

/** The last `Xxx: message` line of a traceback: the exception that escaped. */
const lastErrorLine = (traceback: string) =>
  [...traceback.split('\n')].reverse().find((l) => /^\s*(?:E\s+)?[A-Za-z_][\w.]*(?:Error|Exception|Warning|Failed)\b/.test(l))?.replace(/^\s*E\s+/, '') ?? '';
const firstLine = (s: string) => (s.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);

/**
 * Turns evidence (a failing test, a security finding, a graph breakage, a user's correction) into
 * a normalized, sanitized mistake. Every text that leaves this function has passed `redact`.
 */
export function detectMistake(input: MistakeInput, redact: Redact): DetectedMistake | IgnoreReason {
  const excerpt = (code: string | undefined, line?: number) =>
    code === undefined || code.trim() === '' ? null : redact(relevantExcerpt(code, line === undefined ? {} : { line })) || null;
  const base = { filePath: input.filePath ?? null };

  switch (input.source) {
    case 'test': {
      const f = input.failure;
      const errorType = f.errorType ?? guessErrorType(f.message ?? '', f.traceback);
      const { category, severity } = classifyFailure(errorType, `${f.message ?? ''}\n${f.traceback ?? ''}`);
      const message = redact(firstLine(f.message ?? lastErrorLine(f.traceback ?? '')) || errorType);
      return {
        ...base,
        source: 'test',
        category,
        severity,
        errorType,
        errorSignature: errorSignature(errorType, message),
        description: message.startsWith(errorType) ? message : `${errorType}: ${message}`,
        badExample: excerpt(input.generatedCode, f.line),
        goodExample: null,
        errorMessage: redact(relevantExcerpt(`${f.message ?? ''}\n${f.traceback ?? ''}`, { maxLines: 20, maxChars: 2000 })),
        filePath: input.filePath ?? f.file ?? null,
      };
    }
    case 'security': {
      const f = input.finding;
      if (f.severity !== 'critical' && f.severity !== 'high') return 'below_severity_threshold';
      const message = redact(firstLine(f.message));
      const cwe = (f.cwe ?? []).join(', ');
      const line = f.line ?? f.range?.startLine;
      return {
        ...base,
        source: 'security',
        category: 'security',
        severity: f.severity === 'critical' ? 'critical' : 'major',
        errorType: f.rule,
        errorSignature: errorSignature(f.rule, `${cwe} ${message}`),
        description: `Security (${f.rule}${cwe ? `, ${cwe}` : ''}): ${message}`,
        badExample: f.snippet !== undefined && f.snippet.trim() !== '' ? excerpt(f.snippet) : excerpt(input.generatedCode, line),
        goodExample: null,
        errorMessage: message,
        filePath: input.filePath ?? f.file ?? null,
      };
    }
    case 'graph': {
      const b = input.breakage;
      const { category, severity } = classifyBreakage(b.kind);
      const message = redact(firstLine(b.message));
      return {
        ...base,
        source: 'graph',
        category,
        severity,
        errorType: b.kind,
        errorSignature: errorSignature(b.kind, message),
        description: `Graph check ${b.kind.replace(/_/g, ' ')}: ${message}`,
        badExample: excerpt(input.generatedCode, b.line),
        goodExample: null,
        errorMessage: message,
        filePath: input.filePath ?? b.file ?? null,
      };
    }
    case 'correction': {
      const c = detectCorrection(input.message);
      if (!c) return 'not_a_correction';
      const text = redact(c.text.slice(0, 500));
      const bad = excerpt(input.previousCode ?? input.generatedCode);
      let good: string | null = null;
      if (bad !== null && c.wrong && c.right && bad.includes(c.wrong)) good = redact(bad.split(c.wrong).join(c.right));
      const errorType = `correction:${c.kind}`;
      return {
        ...base,
        source: 'correction',
        category: categoryFromText(`${c.text} ${c.wrong ?? ''} ${c.right ?? ''}`),
        severity: 'major',
        errorType,
        errorSignature: errorSignature(errorType, `${c.wrong ?? ''} ${c.right ?? ''} ${c.wrong || c.right ? '' : `${text} ${bad ?? ''}`}`),
        description: `User correction: ${text}`,
        badExample: bad,
        goodExample: good,
        errorMessage: text,
      };
    }
    case 'manual': {
      const description = redact(firstLine(input.description));
      const errorType = input.errorType ?? `manual:${input.category}`;
      return {
        ...base,
        source: 'manual',
        category: input.category,
        severity: input.severity,
        errorType,
        errorSignature: errorSignature(errorType, description),
        description,
        badExample: excerpt(input.generatedCode),
        goodExample: excerpt(input.goodExample),
        errorMessage: description,
      };
    }
  }
}
