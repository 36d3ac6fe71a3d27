import { createHash } from 'node:crypto';
import type { Engine, Range } from './types.js';

/** A short stable id, so the same issue keeps its id across runs and tools. */
export function findingId(engine: Engine, rule: string, file: string, range: Range, salt = ''): string {
  const h = createHash('sha256')
    .update(`${engine}\0${rule}\0${file}\0${range.startLine}:${range.startCol}-${range.endLine}:${range.endCol}\0${salt}`)
    .digest('hex');
  return `${engine}-${h.slice(0, 12)}`;
}

export function severityRank(s: string): number {
  return ['critical', 'high', 'medium', 'low'].indexOf(s);
}
