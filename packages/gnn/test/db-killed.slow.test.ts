import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../src/index.js';
import { runThenKill, snapshot, tempDir } from './helpers.js';

const engines: GraphEngine[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  for (const c of cleanups.splice(0)) c();
});

describe('a database killed mid-write', () => {
  it('opens afterwards (loaded or rebuilt) to exactly the cold-build graph', async () => {
    const t = tempDir();
    cleanups.push(t.dispose);
    mkdirSync(path.join(t.dir, 'pkg'));
    for (let i = 0; i < 30; i++) writeFileSync(path.join(t.dir, 'pkg', `m${i}.py`), `def f${i}():\n    return ${i}\n`);
    // Let it write a few update transactions, then kill it without warning.
    await runThenKill('kill-writer.ts', t.dir, 1500);
    const e = createGraphEngine({ root: t.dir });
    engines.push(e);
    const opened = (await e.open())._unsafeUnwrap();
    expect(['loaded', 'built']).toContain(opened.mode);
    const cold = createGraphEngine({ root: t.dir, dbPath: false });
    engines.push(cold);
    (await cold.build())._unsafeUnwrap();
    expect(snapshot(e)).toEqual(snapshot(cold));
    expect(e.node('pkg.m0.f0')).toBeDefined();
  }, 240_000);
});
