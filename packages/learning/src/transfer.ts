import type { PatternRepository } from './db/patterns.js';
import type { Embedder } from './embedder/port.js';
import { learningError, type LearningError } from './errors.js';
import { isCategory, isSeverity, SOURCES, type MistakePattern } from './pattern.js';
import type { Redact } from './sanitize.js';

/** The JSON document `export` produces and `import` reads. Vectors are not exported: import re-embeds. */
export interface LearningExport {
  readonly format: 'yantra-learning';
  readonly version: 1;
  readonly exportedAt: string;
  readonly embedderId: string;
  readonly patterns: readonly MistakePattern[];
}

export interface ImportReport {
  /** New patterns added. */
  readonly imported: number;
  /** Patterns that matched an existing (model, signature) and raised its frequency. */
  readonly merged: number;
}

export function exportPatterns(repo: PatternRepository, embedderId: string, now: number): LearningExport {
  return {
    format: 'yantra-learning',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    embedderId,
    patterns: repo.list({ includeArchived: true }),
  };
}

function checkPattern(v: unknown, i: number): MistakePattern | string {
  if (typeof v !== 'object' || v === null) return `patterns[${i}] is not an object`;
  const p = v as Record<string, unknown>;
  for (const k of ['id', 'modelName', 'errorSignature', 'errorType', 'description']) {
    if (typeof p[k] !== 'string' || p[k] === '') return `patterns[${i}].${k} must be a non-empty string`;
  }
  for (const k of ['frequency', 'firstSeen', 'lastSeen', 'userCorrections', 'testFailures']) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) return `patterns[${i}].${k} must be a number`;
  }
  if (!isCategory(p['category'])) return `patterns[${i}].category is unknown`;
  if (!isSeverity(p['severity'])) return `patterns[${i}].severity is unknown`;
  if (!(SOURCES as readonly unknown[]).includes(p['source'])) return `patterns[${i}].source is unknown`;
  for (const k of ['badExample', 'goodExample']) {
    if (p[k] !== null && p[k] !== undefined && typeof p[k] !== 'string') return `patterns[${i}].${k} must be a string or null`;
  }
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(p['id'] as string)) return `patterns[${i}].id has unexpected characters`;
  return v as MistakePattern;
}

/**
 * Imports an export document. Everything is validated before anything is written; texts pass
 * `redact` again (the file may come from elsewhere) and descriptions are re-embedded with the
 * current embedder.
 */
export async function importPatterns(repo: PatternRepository, embedder: Embedder, redact: Redact, data: unknown): Promise<ImportReport> {
  const doc = data as Partial<LearningExport> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== 'yantra-learning' || doc.version !== 1 || !Array.isArray(doc.patterns)) {
    throw learningError('invalid_input', 'not a yantra-learning export (version 1)');
  }
  const patterns: MistakePattern[] = [];
  for (const [i, v] of doc.patterns.entries()) {
    const checked = checkPattern(v, i);
    if (typeof checked === 'string') throw learningError('invalid_input', checked);
    const clean = (t: string | null | undefined) => (t === null || t === undefined ? null : redact(t));
    patterns.push({
      ...checked,
      description: redact(checked.description),
      badExample: clean(checked.badExample),
      goodExample: clean(checked.goodExample),
      fixApplied: Boolean(checked.fixApplied),
      archived: Boolean(checked.archived),
    });
  }
  let imported = 0;
  let merged = 0;
  for (let i = 0; i < patterns.length; i += 32) {
    const batch = patterns.slice(i, i + 32);
    const vectors = await embedder.embed(batch.map((p) => p.description)).match(
      (v) => v,
      (e: LearningError): never => {
        throw e;
      },
    );
    const r = repo.importMany(
      batch.map((pattern, j) => ({ pattern, embedding: vectors[j] as Float32Array })),
      embedder.id,
    );
    imported += r.imported;
    merged += r.merged;
  }
  return { imported, merged };
}
