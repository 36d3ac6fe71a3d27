import type { MistakePattern } from '../pattern.js';

/** Options of {@link buildMistakeContext}. */
export interface MistakeContextOptions {
  /** Token budget of the whole block (estimated at 4 characters a token). Default 400. */
  readonly maxTokens?: number;
  /** Lines kept of each bad or good example. Default 4. */
  readonly exampleLines?: number;
}

/** Rough token count used for budgets: 4 characters a token, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function clip(code: string, lines: number): string {
  const all = code.split('\n');
  const kept = all.slice(0, lines).map((l) => (l.length > 160 ? `${l.slice(0, 160)}…` : l));
  if (all.length > lines) kept.push('…');
  return kept.join('\n');
}

function indent(code: string): string {
  return code
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
}

/**
 * Renders patterns (best first) as a compact "avoid these mistakes" block for a prompt, with bad
 * and good examples, within a token cap. Patterns that do not fit are left out whole; examples
 * are dropped before a pattern is. Returns '' for no patterns.
 */
export function buildMistakeContext(patterns: readonly MistakePattern[], options: MistakeContextOptions = {}): string {
  const maxTokens = options.maxTokens ?? 400;
  const exampleLines = options.exampleLines ?? 4;
  if (patterns.length === 0) return '';
  const header = 'Avoid these mistakes (made before, verified by tests, scans or the user):';
  let out = header;
  let n = 0;
  for (const p of patterns) {
    const head = `${n + 1}. [${p.category}, ${p.severity}${p.frequency > 1 ? `, seen ${p.frequency}×` : ''}] ${p.description}`;
    const examples: string[] = [];
    if (p.badExample) examples.push(`   Bad:\n${indent(clip(p.badExample, exampleLines))}`);
    if (p.goodExample) examples.push(`   Good:\n${indent(clip(p.goodExample, exampleLines))}`);
    const full = [head, ...examples].join('\n');
    if (estimateTokens(`${out}\n${full}`) <= maxTokens) {
      out = `${out}\n${full}`;
      n++;
    } else if (estimateTokens(`${out}\n${head}`) <= maxTokens) {
      out = `${out}\n${head}`;
      n++;
    }
  }
  return n === 0 ? '' : out;
}
