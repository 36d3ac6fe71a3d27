import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPythonFiles } from '../src/project/files.js';
import { useScratch } from './bad-input-support.js';

const { dirWith, onCleanup } = useScratch();

const rels = async (root: string) => (await listPythonFiles(root)).files.map((f) => f.rel);

describe('listPythonFiles', () => {
  it('lists .py files sorted, skipping excluded and hidden folders', async () => {
    const dir = dirWith({ 'b.py': '', 'a/z.py': '', 'a/y.txt': '', '.hidden/h.py': '', 'node_modules/n.py': '', 'a/__pycache__/c.py': '' });
    expect(await rels(dir)).toEqual(['a/z.py', 'b.py']);
  });

  it('follows a symlink to a folder outside the root, under the link name', async () => {
    const outside = dirWith({ 'lib/ext.py': '' });
    const dir = dirWith({ 'main.py': '' });
    symlinkSync(path.join(outside, 'lib'), path.join(dir, 'vendored'));
    expect(await rels(dir)).toEqual(['main.py', 'vendored/ext.py']);
  });

  it('a root given through a symlink still stops at a link back to its real folder', async () => {
    const real = dirWith({ 'pkg/__init__.py': '', 'pkg/mod.py': '' });
    symlinkSync(real, path.join(real, 'pkg', 'loop'));
    const holder = dirWith({});
    const alias = path.join(holder, 'alias');
    symlinkSync(real, alias);
    const listed = await listPythonFiles(alias);
    expect(listed.files.map((f) => f.rel)).toEqual(['pkg/__init__.py', 'pkg/mod.py']);
    // Paths stay under the root as given.
    expect(listed.files[0]?.abs).toBe(path.join(alias, 'pkg', '__init__.py'));
  });

  it('a folder reachable directly and through a symlink is listed once, under its real path', async () => {
    const dir = dirWith({ 'real/m.py': '' });
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'also'));
    expect(await rels(dir)).toEqual(['real/m.py']);
  });

  it('walks trees of many folders completely (it yields to the event loop between them)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`d${String(i).padStart(3, '0')}/sub/m.py`] = '';
    const dir = dirWith(files);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    onCleanup(() => clearInterval(timer));
    const listed = await rels(dir);
    expect(listed).toHaveLength(600);
    expect(listed[0]).toBe('d000/sub/m.py');
    expect(listed[599]).toBe('d599/sub/m.py');
    // 1,201 folders: the walk let timers run at least a few times on the way.
    expect(ticks).toBeGreaterThan(0);
  });

  it('a missing root is a diagnostic, not a throw', async () => {
    const holder = dirWith({});
    const listed = await listPythonFiles(path.join(holder, 'nope'));
    expect(listed.files).toEqual([]);
    expect(listed.diagnostics).toEqual([expect.objectContaining({ file: '', kind: 'unreadable' })]);
  });
});
