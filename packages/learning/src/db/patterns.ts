import { randomUUID } from 'node:crypto';
import type { DetectedMistake } from '../detect/detect.js';
import type { Category, MistakePattern, PatternSource, Severity } from '../pattern.js';
import type { Db } from './open.js';

interface PatternRow {
  id: string;
  vector_id: string;
  model_name: string;
  error_signature: string;
  error_type: string;
  category: string;
  severity: string;
  source: string;
  description: string;
  bad_example: string | null;
  good_example: string | null;
  frequency: number;
  first_seen: number;
  last_seen: number;
  fix_applied: number;
  user_corrections: number;
  test_failures: number;
  archived: number;
  embedding: Buffer;
  embedder_id: string;
  vector_synced: number;
}

/** A pattern plus its stored vector, as the vector index needs it. */
export interface StoredPattern {
  readonly pattern: MistakePattern;
  readonly embedding: Float32Array;
  /** True once the vector index has this version of the pattern. */
  readonly synced: boolean;
}

/** A successful fix with its vector. */
export interface StoredFix {
  readonly id: number;
  readonly patternId: string;
  readonly description: string;
  readonly fixedCode: string;
  readonly embedding: Float32Array;
}

export function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function fromBlob(b: Buffer): Float32Array {
  // Copy: the Buffer may be a view into a shared pool with unaligned offset.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function toPattern(r: PatternRow): MistakePattern {
  return {
    id: r.id,
    vectorId: r.vector_id,
    modelName: r.model_name,
    errorSignature: r.error_signature,
    errorType: r.error_type,
    category: r.category as Category,
    severity: r.severity as Severity,
    source: r.source as PatternSource,
    description: r.description,
    badExample: r.bad_example,
    goodExample: r.good_example,
    frequency: r.frequency,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    fixApplied: r.fix_applied === 1,
    userCorrections: r.user_corrections,
    testFailures: r.test_failures,
    archived: r.archived === 1,
    embedderId: r.embedder_id,
  };
}

const stored = (r: PatternRow): StoredPattern => ({ pattern: toPattern(r), embedding: fromBlob(r.embedding), synced: r.vector_synced === 1 });

export interface RecordRow {
  readonly mistake: DetectedMistake;
  readonly model: string;
  readonly embedding: Float32Array;
  readonly embedderId: string;
  readonly timestamp: number;
  readonly projectPath: string;
  readonly generatedCode: string | null;
}

/** Filters for listing and clearing. */
export interface PatternFilter {
  readonly category?: Category;
  readonly model?: string;
  readonly includeArchived?: boolean;
  readonly limit?: number;
}

function where(filter: PatternFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.category) {
    parts.push('category = ?');
    params.push(filter.category);
  }
  if (filter.model) {
    parts.push('model_name = ?');
    params.push(filter.model);
  }
  if (!filter.includeArchived) parts.push('archived = 0');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** SQL access to the mistake tables; the source of truth. Every write is one transaction. */
export class PatternRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the pattern, or, when the same (model, signature) exists, raises its frequency; then
   * adds the occurrence. One transaction: both or neither.
   */
  record(row: RecordRow): { pattern: MistakePattern; created: boolean } {
    const m = row.mistake;
    const id = `mp_${randomUUID().replace(/-/g, '')}`;
    const tx = this.db.transaction(() => {
      const r = this.db
        .prepare(
          `INSERT INTO mistake_patterns (id, vector_id, model_name, error_signature, error_type, category, severity, source,
             description, bad_example, good_example, frequency, first_seen, last_seen, user_corrections, test_failures,
             embedding, embedder_id, vector_synced)
           VALUES (@id, @id, @model, @sig, @etype, @category, @severity, @source, @description, @bad, @good, 1, @ts, @ts,
             @corr, @tests, @embedding, @embedder, 0)
           ON CONFLICT (model_name, error_signature) DO UPDATE SET
             frequency = frequency + 1,
             last_seen = MAX(last_seen, excluded.last_seen),
             first_seen = MIN(first_seen, excluded.first_seen),
             user_corrections = user_corrections + excluded.user_corrections,
             test_failures = test_failures + excluded.test_failures,
             bad_example = COALESCE(bad_example, excluded.bad_example),
             good_example = COALESCE(excluded.good_example, good_example),
             archived = 0,
             vector_synced = 0
           RETURNING *`,
        )
        .get({
          id,
          model: row.model,
          sig: m.errorSignature,
          etype: m.errorType,
          category: m.category,
          severity: m.severity,
          source: m.source,
          description: m.description,
          bad: m.badExample,
          good: m.goodExample,
          ts: row.timestamp,
          corr: m.source === 'correction' ? 1 : 0,
          tests: m.source === 'test' ? 1 : 0,
          embedding: toBlob(row.embedding),
          embedder: row.embedderId,
        }) as PatternRow;
      this.db
        .prepare(
          `INSERT INTO mistake_occurrences (pattern_id, project_path, file_path, generated_code, error_message, timestamp)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(r.id, row.projectPath, m.filePath, row.generatedCode, m.errorMessage, row.timestamp);
      return { pattern: toPattern(r), created: r.id === id };
    });
    return tx.immediate();
  }

  /** Links a pattern to the fix that worked and records its good example. */
  recordFix(patternId: string, fix: { description: string; fixedCode: string; embedding: Float32Array; embedderId: string; timestamp: number }): number | null {
    const tx = this.db.transaction(() => {
      const found = this.db.prepare('UPDATE mistake_patterns SET fix_applied = 1, good_example = ?, vector_synced = 0 WHERE id = ?').run(fix.fixedCode, patternId);
      if (found.changes === 0) return null;
      const r = this.db
        .prepare('INSERT INTO successful_fixes (pattern_id, description, fixed_code, embedding, embedder_id, timestamp) VALUES (?, ?, ?, ?, ?, ?)')
        .run(patternId, fix.description, fix.fixedCode, toBlob(fix.embedding), fix.embedderId, fix.timestamp);
      return Number(r.lastInsertRowid);
    });
    return tx.immediate();
  }

  byIds(ids: readonly string[]): Map<string, MistakePattern> {
    const out = new Map<string, MistakePattern>();
    if (ids.length === 0) return out;
    const rows = this.db.prepare(`SELECT * FROM mistake_patterns WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as PatternRow[];
    for (const r of rows) out.set(r.id, toPattern(r));
    return out;
  }

  list(filter: PatternFilter = {}): MistakePattern[] {
    const w = where(filter);
    const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    const rows = this.db.prepare(`SELECT * FROM mistake_patterns ${w.sql} ORDER BY frequency DESC, last_seen DESC${limit}`).all(...w.params) as PatternRow[];
    return rows.map(toPattern);
  }

  /** Active patterns with their vectors (for re-sync and the in-process index). */
  activeWithVectors(onlyUnsynced = false): StoredPattern[] {
    const rows = this.db
      .prepare(`SELECT * FROM mistake_patterns WHERE archived = 0${onlyUnsynced ? ' AND vector_synced = 0' : ''}`)
      .all() as PatternRow[];
    return rows.map(stored);
  }

  allWithVectors(): StoredPattern[] {
    return (this.db.prepare('SELECT * FROM mistake_patterns').all() as PatternRow[]).map(stored);
  }

  countActive(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM mistake_patterns WHERE archived = 0').get() as { n: number }).n;
  }

  markSynced(ids: readonly string[], synced: boolean): void {
    const stmt = this.db.prepare('UPDATE mistake_patterns SET vector_synced = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) stmt.run(synced ? 1 : 0, id);
    })();
  }

  markAllUnsynced(): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE mistake_patterns SET vector_synced = 0').run();
      this.db.prepare('UPDATE successful_fixes SET vector_synced = 0').run();
    })();
  }

  /** Deletes matching patterns (with their occurrences and fixes); returns the deleted ids. */
  delete(filter: Omit<PatternFilter, 'includeArchived' | 'limit'>): string[] {
    const w = where({ ...filter, includeArchived: true });
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id FROM mistake_patterns ${w.sql}`).all(...w.params) as { id: string }[]).map((r) => r.id);
      this.db.prepare(`DELETE FROM mistake_patterns ${w.sql}`).run(...w.params);
      return ids;
    })();
  }

  /** Archives one pattern; false when it does not exist or is archived already. */
  archive(id: string): boolean {
    return this.db.prepare('UPDATE mistake_patterns SET archived = 1 WHERE id = ? AND archived = 0').run(id).changes > 0;
  }

  /** Archives patterns last seen before `cutoff` whose frequency is below `minFrequency`. */
  archiveStale(cutoff: number, minFrequency: number): string[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT id FROM mistake_patterns WHERE archived = 0 AND last_seen < ? AND frequency < ?')
        .all(cutoff, minFrequency) as { id: string }[];
      this.db.prepare('UPDATE mistake_patterns SET archived = 1 WHERE archived = 0 AND last_seen < ? AND frequency < ?').run(cutoff, minFrequency);
      return rows.map((r) => r.id);
    })();
  }

  /** Folds `dropId` into `keepId`: counts add up, seen-range widens, history moves over. */
  merge(keepId: string, dropId: string): void {
    this.db.transaction(() => {
      const drop = this.db.prepare('SELECT * FROM mistake_patterns WHERE id = ?').get(dropId) as PatternRow | undefined;
      if (!drop) return;
      this.db
        .prepare(
          `UPDATE mistake_patterns SET frequency = frequency + ?, first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?),
             user_corrections = user_corrections + ?, test_failures = test_failures + ?, fix_applied = MAX(fix_applied, ?),
             good_example = COALESCE(good_example, ?), bad_example = COALESCE(bad_example, ?), vector_synced = 0
           WHERE id = ?`,
        )
        .run(drop.frequency, drop.first_seen, drop.last_seen, drop.user_corrections, drop.test_failures, drop.fix_applied, drop.good_example, drop.bad_example, keepId);
      this.db.prepare('UPDATE mistake_occurrences SET pattern_id = ? WHERE pattern_id = ?').run(keepId, dropId);
      this.db.prepare('UPDATE successful_fixes SET pattern_id = ? WHERE pattern_id = ?').run(keepId, dropId);
      this.db.prepare('DELETE FROM mistake_patterns WHERE id = ?').run(dropId);
    })();
  }

  /** Ids and descriptions of patterns embedded by another embedder than `embedderId`. */
  staleEmbeddings(embedderId: string): { id: string; description: string }[] {
    return this.db.prepare('SELECT id, description FROM mistake_patterns WHERE embedder_id <> ?').all(embedderId) as { id: string; description: string }[];
  }

  setEmbeddings(items: readonly { id: string; embedding: Float32Array }[], embedderId: string): void {
    const stmt = this.db.prepare('UPDATE mistake_patterns SET embedding = ?, embedder_id = ?, vector_synced = 0 WHERE id = ?');
    this.db.transaction(() => {
      for (const it of items) stmt.run(toBlob(it.embedding), embedderId, it.id);
    })();
  }

  occurrences(patternId: string): { projectPath: string; filePath: string | null; generatedCode: string | null; errorMessage: string | null; timestamp: number }[] {
    return (
      this.db
        .prepare('SELECT project_path, file_path, generated_code, error_message, timestamp FROM mistake_occurrences WHERE pattern_id = ? ORDER BY timestamp')
        .all(patternId) as { project_path: string; file_path: string | null; generated_code: string | null; error_message: string | null; timestamp: number }[]
    ).map((r) => ({ projectPath: r.project_path, filePath: r.file_path, generatedCode: r.generated_code, errorMessage: r.error_message, timestamp: r.timestamp }));
  }

  /** Inserts a pattern as exported (import); an existing (model, signature) adds its frequency. */
  importPattern(p: MistakePattern, embedding: Float32Array, embedderId: string): boolean {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id FROM mistake_patterns WHERE model_name = ? AND error_signature = ?').get(p.modelName, p.errorSignature) as { id: string } | undefined;
      if (existing) {
        this.db
          .prepare('UPDATE mistake_patterns SET frequency = frequency + ?, first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), vector_synced = 0 WHERE id = ?')
          .run(p.frequency, p.firstSeen, p.lastSeen, existing.id);
        return false;
      }
      this.db
        .prepare(
          `INSERT INTO mistake_patterns (id, vector_id, model_name, error_signature, error_type, category, severity, source, description,
             bad_example, good_example, frequency, first_seen, last_seen, fix_applied, user_corrections, test_failures, archived,
             embedding, embedder_id, vector_synced)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        )
        .run(p.id, p.id, p.modelName, p.errorSignature, p.errorType, p.category, p.severity, p.source, p.description, p.badExample, p.goodExample,
          p.frequency, p.firstSeen, p.lastSeen, p.fixApplied ? 1 : 0, p.userCorrections, p.testFailures, p.archived ? 1 : 0, toBlob(embedding), embedderId);
      return true;
    })();
  }

  fixes(onlyUnsynced = false): StoredFix[] {
    const rows = this.db
      .prepare(`SELECT id, pattern_id, description, fixed_code, embedding FROM successful_fixes${onlyUnsynced ? ' WHERE vector_synced = 0' : ''}`)
      .all() as { id: number; pattern_id: string; description: string; fixed_code: string; embedding: Buffer }[];
    return rows.map((r) => ({ id: r.id, patternId: r.pattern_id, description: r.description, fixedCode: r.fixed_code, embedding: fromBlob(r.embedding) }));
  }

  markFixesSynced(ids: readonly number[], synced: boolean): void {
    const stmt = this.db.prepare('UPDATE successful_fixes SET vector_synced = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) stmt.run(synced ? 1 : 0, id);
    })();
  }

  /** Imports a batch in one transaction (nested ones become savepoints). */
  importMany(items: readonly { pattern: MistakePattern; embedding: Float32Array }[], embedderId: string): { imported: number; merged: number } {
    return this.db.transaction(() => {
      let imported = 0;
      for (const it of items) if (this.importPattern(it.pattern, it.embedding, embedderId)) imported++;
      return { imported, merged: items.length - imported };
    })();
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
