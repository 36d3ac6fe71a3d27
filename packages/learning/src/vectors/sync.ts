import type { PatternRepository, StoredFix, StoredPattern } from '../db/patterns.js';
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
      frequency: p.pattern.frequency,
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
