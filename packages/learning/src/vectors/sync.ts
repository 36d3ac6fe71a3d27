import type { PatternRepository, StoredFix, StoredPattern } from '../db/patterns.js';
import { isCategory, isSeverity, SOURCES, type MistakePattern, type PatternSource } from '../pattern.js';
import type { VectorIndex, VectorItem } from './port.js';

type Ops = Pick<VectorIndex, 'upsert' | 'delete' | 'ids'>;

export function patternItem(p: StoredPattern): VectorItem {
  return {
    id: p.pattern.vectorId,
    embedding: p.embedding,
    document: p.pattern.description,
    metadata: {
      model_name: p.pattern.modelName,
      category: p.pattern.category,
      severity: p.pattern.severity,
      error_signature: p.pattern.errorSignature,
      error_type: p.pattern.errorType,
      source: p.pattern.source,
      frequency: p.pattern.frequency,
      first_seen: p.pattern.firstSeen,
      last_seen: p.pattern.lastSeen,
      embedder_id: p.pattern.embedderId,
    },
  };
}

export function fixItem(f: StoredFix): VectorItem {
  return { id: `fix_${f.id}`, embedding: f.embedding, document: f.description, metadata: { pattern_id: f.patternId } };
}

/** Pushes patterns and fixes whose vectors the index does not have yet. */
export async function pushUnsynced(repo: PatternRepository, index: Ops): Promise<number> {
  const patterns = repo.activeWithVectors(true);
  if (patterns.length > 0) {
    await index.upsert('llm_mistakes', patterns.map(patternItem));
    repo.markSynced(patterns.map((p) => p.pattern.id), true);
  }
  const fixes = repo.fixes(true);
  if (fixes.length > 0) {
    await index.upsert('successful_fixes', fixes.map(fixItem));
    repo.markFixesSynced(fixes.map((f) => f.id), true);
  }
  return patterns.length + fixes.length;
}

/**
 * Makes the index equal to SQLite, the source of truth: deletes vectors SQLite no longer has (or
 * has archived), and upserts every active pattern the index lacks or has stale. Used at open and
 * after the server was restarted or its store rebuilt.
 */
export async function reconcile(repo: PatternRepository, index: Ops): Promise<{ upserted: number; deleted: number }> {
  const active = repo.activeWithVectors();
  const inIndex = new Set(await index.ids('llm_mistakes'));
  const activeIds = new Set(active.map((p) => p.pattern.vectorId));
  const extra = [...inIndex].filter((id) => !activeIds.has(id));
  if (extra.length > 0) await index.delete('llm_mistakes', extra);
  const missing = active.filter((p) => !p.synced || !inIndex.has(p.pattern.vectorId));
  if (missing.length > 0) {
    await index.upsert('llm_mistakes', missing.map(patternItem));
    repo.markSynced(missing.map((p) => p.pattern.id), true);
  }
  const fixes = repo.fixes();
  const fixIds = new Set(await index.ids('successful_fixes'));
  const wantFixes = new Set(fixes.map((f) => `fix_${f.id}`));
  const extraFixes = [...fixIds].filter((id) => !wantFixes.has(id));
  if (extraFixes.length > 0) await index.delete('successful_fixes', extraFixes);
  const missingFixes = fixes.filter((f) => !fixIds.has(`fix_${f.id}`));
  if (missingFixes.length > 0) {
    await index.upsert('successful_fixes', missingFixes.map(fixItem));
    repo.markFixesSynced(missingFixes.map((f) => f.id), true);
  }
  return { upserted: missing.length + missingFixes.length, deleted: extra.length + extraFixes.length };
}

/**
 * After a corrupt `learning.db` was replaced by an empty one, recovers the patterns the vector
 * index still holds (description, model, category, counts; examples and occurrences are lost).
 */
export async function restoreFromIndex(repo: PatternRepository, index: Pick<VectorIndex, 'dump'>, embedderId: string): Promise<number> {
  let restored = 0;
  for (const item of await index.dump('llm_mistakes')) {
    const m = item.metadata;
    const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : undefined);
    const num = (k: string, d: number) => (typeof m[k] === 'number' ? (m[k] as number) : d);
    const category = str('category');
    const severity = str('severity');
    const source = str('source') ?? 'manual';
    const model = str('model_name');
    const signature = str('error_signature');
    if (!isCategory(category) || !isSeverity(severity) || !model || !signature || !(SOURCES as readonly string[]).includes(source)) continue;
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(item.id) || item.embedding.length === 0) continue;
    const now = num('last_seen', 0);
    const pattern: MistakePattern = {
      id: item.id,
      vectorId: item.id,
      modelName: model,
      errorSignature: signature,
      errorType: str('error_type') ?? 'restored',
      category,
      severity,
      source: source as PatternSource,
      description: item.document,
      badExample: null,
      goodExample: null,
      frequency: num('frequency', 1),
      firstSeen: num('first_seen', now),
      lastSeen: now,
      fixApplied: false,
      userCorrections: 0,
      testFailures: 0,
      archived: false,
      embedderId: str('embedder_id') ?? embedderId,
    };
    if (repo.importPattern(pattern, item.embedding, pattern.embedderId)) restored++;
  }
  return restored;
}
