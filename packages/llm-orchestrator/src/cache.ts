import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '@yantra/shared';
import type { ProviderId } from './errors.js';
import type { ProviderRequest } from './providers/provider.js';
import type { StopReason, Usage } from './request.js';

export interface CachedResponse {
  readonly text: string;
  readonly usage: Usage;
  readonly stopReason: StopReason;
  readonly createdAt: number;
}

export interface UsageRow {
  readonly sessionId: string;
  readonly at: number;
  readonly provider: ProviderId;
  readonly model: string;
  readonly usage: Usage;
  readonly costUsd: number | null;
  readonly cached: boolean;
}

export interface UsageTotals {
  readonly requests: number;
  readonly cachedRequests: number;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Responses and usage, in `<project>/.yantra/cache.db`. */
export interface ResponseStore {
  get(key: string, now: number): CachedResponse | undefined;
  put(key: string, value: CachedResponse): void;
  recordUsage(row: UsageRow): void;
  totals(sessionId?: string): UsageTotals;
  close(): void;
}

/**
 * The cache key: a hash of everything that determines the answer. Keys and base URLs are not part
 * of the request, so they can never leak into the cache.
 */
export function cacheKey(provider: ProviderId, request: ProviderRequest): string {
  const material = JSON.stringify({
    v: 1,
    provider,
    model: request.model,
    system: request.system ?? null,
    messages: request.messages.map((m) => [m.role, m.content]),
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    stop: request.stopSequences,
  });
  return createHash('sha256').update(material).digest('hex');
}

// Append-only: each entry upgrades from the previous user_version.
const MIGRATIONS = [
  `CREATE TABLE responses (key TEXT PRIMARY KEY, created_at INTEGER NOT NULL, text TEXT NOT NULL,
     usage TEXT NOT NULL, stop_reason TEXT NOT NULL);
   CREATE TABLE usage (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, at INTEGER NOT NULL,
     provider TEXT NOT NULL, model TEXT NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, cost_usd REAL, cached INTEGER NOT NULL);
   CREATE INDEX usage_session ON usage(session_id);`,
];

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 2000');
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new Error(`cache database failed its check: ${String(check)}`);
  const version = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}

export interface ResponseStoreOptions {
  /** The database file, usually `<project>/.yantra/cache.db`. */
  readonly file: string;
  /** Entries older than this are misses. Default 24 h. */
  readonly ttlMs?: number;
  readonly logger: Logger;
}

/** Opens (or rebuilds, when corrupt) the store. A corrupt cache is rebuilt, never trusted. */
export function openResponseStore(options: ResponseStoreOptions): ResponseStore {
  const ttl = options.ttlMs ?? 24 * 60 * 60 * 1000;
  mkdirSync(path.dirname(options.file), { recursive: true });
  let db: Database.Database;
  try {
    db = open(options.file);
  } catch (e) {
    options.logger.warn('cache database unusable; rebuilding it', { file: options.file, error: String(e) });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.file}${suffix}`, { force: true });
    db = open(options.file);
  }
  const getStmt = db.prepare('SELECT text, usage, stop_reason AS stopReason, created_at AS createdAt FROM responses WHERE key = ?');
  const putStmt = db.prepare(
    'INSERT OR REPLACE INTO responses (key, created_at, text, usage, stop_reason) VALUES (?, ?, ?, ?, ?)',
  );
  const usageStmt = db.prepare(
    `INSERT INTO usage (session_id, at, provider, model, input_tokens, output_tokens, cache_read_tokens,
       cache_write_tokens, cost_usd, cached) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const totalsSql = `SELECT COUNT(*) AS requests, COALESCE(SUM(cached), 0) AS cachedRequests,
      COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
      COALESCE(SUM(cache_read_tokens), 0) AS cacheReadTokens, COALESCE(SUM(cache_write_tokens), 0) AS cacheWriteTokens,
      COALESCE(SUM(cost_usd), 0) AS costUsd FROM usage`;
  const allStmt = db.prepare(totalsSql);
  const sessionStmt = db.prepare(`${totalsSql} WHERE session_id = ?`);
  const purge = db.prepare('DELETE FROM responses WHERE created_at < ?');
  let puts = 0;
  return {
    get(key, now) {
      const row = getStmt.get(key) as { text: string; usage: string; stopReason: StopReason; createdAt: number } | undefined;
      if (!row || now - row.createdAt > ttl) return undefined;
      return { text: row.text, usage: JSON.parse(row.usage) as Usage, stopReason: row.stopReason, createdAt: row.createdAt };
    },
    put(key, value) {
      db.transaction(() => {
        putStmt.run(key, value.createdAt, value.text, JSON.stringify(value.usage), value.stopReason);
        // Expired rows are dropped now and then, so the file does not grow without bound.
        if (++puts % 100 === 1) purge.run(value.createdAt - ttl);
      })();
    },
    recordUsage(row) {
      usageStmt.run(
        row.sessionId,
        row.at,
        row.provider,
        row.model,
        row.usage.inputTokens,
        row.usage.outputTokens,
        row.usage.cacheReadTokens,
        row.usage.cacheWriteTokens,
        row.costUsd,
        row.cached ? 1 : 0,
      );
    },
    totals(sessionId) {
      const r = (sessionId === undefined ? allStmt.get() : sessionStmt.get(sessionId)) as Record<string, number>;
      return {
        requests: r['requests'] ?? 0,
        cachedRequests: r['cachedRequests'] ?? 0,
        usage: {
          inputTokens: r['inputTokens'] ?? 0,
          outputTokens: r['outputTokens'] ?? 0,
          cacheReadTokens: r['cacheReadTokens'] ?? 0,
          cacheWriteTokens: r['cacheWriteTokens'] ?? 0,
        },
        costUsd: Math.round((r['costUsd'] ?? 0) * 1e9) / 1e9,
      };
    },
    close() {
      db.close();
    },
  };
}
