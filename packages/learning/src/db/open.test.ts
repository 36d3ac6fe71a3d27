import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger } from '@yantra/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProject } from '../test-support.js';
import { MIGRATIONS } from './migrations.js';
import { openLearningDb } from './open.js';

describe('openLearningDb', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let file: string;
  beforeEach(async () => {
    project = await tempProject();
    file = path.join(project.dir, '.yantra', 'learning.db');
  });
  afterEach(async () => {
    await project.cleanup();
  });

  it('creates the schema once, in WAL mode, and reopens without re-running migrations', () => {
    const first = openLearningDb(file, silentLogger, () => 1);
    expect(first.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    first.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    first.db.close();
    const again = openLearningDb(file, silentLogger, () => 2);
    expect(again.quarantined).toBeUndefined();
    expect(again.db.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.db.close();
  });

  it('refuses a database written by a newer version instead of guessing', () => {
    openLearningDb(file, silentLogger, () => 1).db.close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openLearningDb(file, silentLogger, () => 1)).toThrow(/newer than this version/);
    expect(existsSync(file)).toBe(true);
  });

  it('moves a corrupt file aside and starts fresh', () => {
    openLearningDb(file, silentLogger, () => 1).db.close();
    writeFileSync(file, Buffer.alloc(8192, 7));
    const opened = openLearningDb(file, silentLogger, () => 42);
    expect(opened.quarantined).toBe(`${file}.corrupt-42`);
    expect(existsSync(`${file}.corrupt-42`)).toBe(true);
    expect(opened.db.prepare('SELECT COUNT(*) AS n FROM mistake_patterns').get()).toEqual({ n: 0 });
    opened.db.close();
  });
});
