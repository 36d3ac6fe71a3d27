import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../src/store/checkpointer.js';
import { openGraphStore } from '../src/store/db.js';
import type { GraphNode } from '../src/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function nodes(n: number): GraphNode[] {
  return Array.from({ length: n }, (_, i) => ({ id: `pkg.mod.f${i}`, kind: 'function', name: `f${i}`, file: 'pkg/mod.py', lineStart: i + 1, lineEnd: i + 2, docstring: 'x'.repeat(200) }));
}

describe('WAL checkpoints', () => {
  it('are not made by commits but by the worker, which copies the log into the database soon after a write', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-ckpt-'));
    dirs.push(dir);
    const file = path.join(dir, 'graph.db');
    const { store } = openGraphStore(file);
    try {
      const before = statSync(file).size;
      store.replaceAll([], nodes(5000), []);
      // The commit itself left everything in the log (no automatic checkpoint on this connection).
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
    } finally {
      store.close();
    }
    // Everything written is there after reopening.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM nodes').pluck().get()).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('tells its owner when the worker cannot work, so checkpoints go back to SQLite', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-ckpt-'));
    dirs.push(dir);
    let stops = 0;
    const stopped = new Promise<void>((resolve) => {
      const c = startCheckpointer(path.join(dir, 'missing-dir', 'graph.db'), () => {
        stops += 1;
        resolve();
      });
      expect(c).not.toBeNull();
      c?.request();
    });
    await stopped;
    await new Promise((r) => setTimeout(r, 50));
    expect(stops).toBe(1);
  });

  it('does not report a stop after an orderly close', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-ckpt-'));
    dirs.push(dir);
    const file = path.join(dir, 'graph.db');
    new Database(file).close();
    let stops = 0;
    const c = startCheckpointer(file, () => (stops += 1));
    c?.request();
    c?.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(stops).toBe(0);
  });
});
