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

describe('a process killed while its writer thread replaces the database', () => {
  it('leaves a database that loads (no rebuild) and refreshes to exactly the cold-build graph', async () => {
    const t = tempDir();
    cleanups.push(t.dispose);
    mkdirSync(path.join(t.dir, 'pkg'));
    for (let i = 0; i < 120; i++) {
      const body = Array.from({ length: 40 }, (_, k) => `def f${i}_${k}(x):\n    """doc"""\n    return f${i}_${Math.max(0, k - 1)}(x)\n`).join('\n');
      writeFileSync(path.join(t.dir, 'pkg', `m${i}.py`), `from pkg.m${Math.max(0, i - 1)} import f${Math.max(0, i - 1)}_0\n\n${body}`);
    }
    // Let it run a few more builds, then kill it without warning (most of a build's time is spent
    // inside the writer's transaction).
    await runThenKill('kill-builder.ts', t.dir, 2000);
    const e = createGraphEngine({ root: t.dir });
    engines.push(e);
    const opened = (await e.open())._unsafeUnwrap();
    expect(opened.mode).toBe('loaded');
    const cold = createGraphEngine({ root: t.dir, dbPath: false });
    engines.push(cold);
    (await cold.build())._unsafeUnwrap();
    expect(snapshot(e)).toEqual(snapshot(cold));
    expect(e.node('pkg.m0.f0_0')).toBeDefined();
  }, 240_000);
});
