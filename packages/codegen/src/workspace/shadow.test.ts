import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyToWorkingTree, createShadowWorkspace } from './shadow.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'yantra-proj-'));
  await mkdir(path.join(project, 'pkg'));
  await mkdir(path.join(project, '.git'));
  await writeFile(path.join(project, 'pkg/a.py'), 'A = 1\n');
  await writeFile(path.join(project, 'pkg/b.py'), 'B = 1\n');
  await writeFile(path.join(project, '.git/HEAD'), 'ref: refs/heads/main\n');
});
afterEach(async () => {
  await chmod(path.join(project, 'pkg'), 0o755).catch(() => {});
  await rm(project, { recursive: true, force: true });
});

describe('shadow workspace', () => {
  it('copies the project without .git and keeps the user tree untouched while editing', async () => {
    const shadow = (await createShadowWorkspace(project))._unsafeUnwrap();
    try {
      expect(existsSync(path.join(shadow.root, '.git'))).toBe(false);
      expect(shadow.read('pkg/a.py')).toBe('A = 1\n');
      (await shadow.apply([{ path: 'pkg/a.py', before: 'A = 1\n', after: 'A = 2\n' }]))._unsafeUnwrap();
      expect(shadow.read('pkg/a.py')).toBe('A = 2\n');
      expect(await readFile(path.join(project, 'pkg/a.py'), 'utf8')).toBe('A = 1\n');
    } finally {
      await shadow.dispose();
    }
    expect(existsSync(shadow.root)).toBe(false);
  });
});

describe('applyToWorkingTree', () => {
  it('writes every file of the change, including new ones', async () => {
    const r = await applyToWorkingTree(project, [
      { path: 'pkg/a.py', before: 'A = 1\n', after: 'A = 2\n' },
      { path: 'pkg/new.py', before: null, after: 'N = 1\n' },
    ]);
    expect(r.isOk()).toBe(true);
    expect(await readFile(path.join(project, 'pkg/a.py'), 'utf8')).toBe('A = 2\n');
    expect(await readFile(path.join(project, 'pkg/new.py'), 'utf8')).toBe('N = 1\n');
    expect((await readdir(path.join(project, 'pkg'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses, writing nothing, when the user edited a touched file meanwhile', async () => {
    await writeFile(path.join(project, 'pkg/b.py'), 'B = 99  # user edit\n');
    const r = await applyToWorkingTree(project, [
      { path: 'pkg/a.py', before: 'A = 1\n', after: 'A = 2\n' },
      { path: 'pkg/b.py', before: 'B = 1\n', after: 'B = 2\n' },
    ]);
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict', paths: ['pkg/b.py'] });
    expect(await readFile(path.join(project, 'pkg/a.py'), 'utf8')).toBe('A = 1\n');
    expect(await readFile(path.join(project, 'pkg/b.py'), 'utf8')).toBe('B = 99  # user edit\n');
  });

  it('leaves the tree as it was when a write fails part-way', async () => {
    // A read-only directory makes the second file's staging fail after the first succeeded.
    await mkdir(path.join(project, 'locked'));
    await writeFile(path.join(project, 'locked/c.py'), 'C = 1\n');
    await chmod(path.join(project, 'locked'), 0o555);
    const isRoot = process.getuid?.() === 0;
    const r = await applyToWorkingTree(project, [
      { path: 'pkg/a.py', before: 'A = 1\n', after: 'A = 2\n' },
      // As root, permissions do not stop writes; a directory in the way of a file does.
      isRoot ? { path: 'pkg/a.py/x.py', before: null, after: 'X\n' } : { path: 'locked/c.py', before: 'C = 1\n', after: 'C = 2\n' },
    ]);
    await chmod(path.join(project, 'locked'), 0o755);
    expect(r._unsafeUnwrapErr().kind).toBe('write_failed');
    expect(await readFile(path.join(project, 'pkg/a.py'), 'utf8')).toBe('A = 1\n');
    expect((await readdir(path.join(project, 'pkg'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
