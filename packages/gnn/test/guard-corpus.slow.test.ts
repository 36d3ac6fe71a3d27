import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGuardBench } from '../src/guard/bench.js';

// Builds a small guard corpus at test time: the requests wheel from PyPI, mutated programmatically.
const PYTHON = path.join(import.meta.dirname, '..', '..', '..', '.venv', 'bin', 'python');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-guard-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guard corpus (requests 2.32.3)', () => {
  it('blocks every breaking mutation and no compatible one', async () => {
    const r = (await runGuardBench({ corpusDir: dir, python: PYTHON, packages: ['requests==2.32.3'], perKind: 4 }))._unsafeUnwrap();
    expect(r.projects.map((p) => p.name)).toEqual(['requests']);
    expect(r.breaking).toBeGreaterThanOrEqual(20);
    expect(r.compatible).toBeGreaterThanOrEqual(12);
    expect(r.misses).toEqual([]);
    expect(r.falseBlocks).toEqual([]);
    expect(Object.keys(r.byKind)).toEqual(expect.arrayContaining(['remove_def', 'add_required_param', 'syntax_error', 'unresolved_name', 'add_optional_param', 'internal_refactor']));
  }, 170_000);
});
