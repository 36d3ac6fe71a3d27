import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDemo } from './demo.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('prepareDemo (real git and pytest)', () => {
  it('copies the sample, commits it and runs its passing suite', async () => {
    const report = (
      await prepareDemo({ sampleDir: path.join(repoRoot, 'examples/shop'), python: path.join(repoRoot, '.venv/bin/python') })
    )._unsafeUnwrap();
    try {
      expect(report.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(existsSync(path.join(report.workspace, '.git'))).toBe(true);
      expect(report.tests.passed).toBe(true);
      expect(report.tests.summary).toMatch(/\d+ passed/);
    } finally {
      await rm(report.workspace, { recursive: true, force: true });
    }
  });

  it('reports a missing sample as a typed error and leaves nothing behind', async () => {
    const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'yantra-demo-test-'));
    try {
      const r = await prepareDemo({ sampleDir: '/nonexistent/sample', python: 'python3', tempRoot });
      expect(r._unsafeUnwrapErr().kind).toBe('sample_missing');
      expect(await readdir(tempRoot)).toEqual([]);
    } finally {
      await rm(tempRoot, { recursive: true, force: true });
    }
  });
});
