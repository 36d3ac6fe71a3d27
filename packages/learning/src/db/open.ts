import { mkdirSync, renameSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '@yantra/shared';
import { describeUnknown } from '@yantra/shared';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenedDb {
  readonly db: Db;
  /** Set when a corrupt file was moved aside and a fresh database created in its place. */
  readonly quarantined?: string;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`learning.db is at schema ${current}, newer than this version of @yantra/learning knows (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

function openChecked(file: string): Db {
  const db = new Database(file);
  try {
    configure(db);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function isCorruption(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /integrity check failed|malformed|not a database/i.test(describeUnknown(e));
}

/**
 * Opens (creating if needed) and migrates `learning.db`. A corrupt file is never trusted: it is
 * moved aside (`learning.db.corrupt-<time>`) with its WAL files, and a fresh database is created;
 * the caller then restores what it can from the vector store.
 */
export function openLearningDb(file: string, logger: Logger, now: () => number): OpenedDb {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    return { db: openChecked(file) };
  } catch (e) {
    if (!isCorruption(e)) throw e;
    const quarantined = `${file}.corrupt-${now()}`;
    logger.warn('learning.db is corrupt; moving it aside and starting a fresh one', { quarantined, cause: describeUnknown(e) });
    renameSync(file, quarantined);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) rmSync(file + suffix, { force: true });
    }
    return { db: openChecked(file), quarantined };
  }
}
