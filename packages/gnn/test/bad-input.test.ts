import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD, useScratch } from './bad-input-support.js';

const { dirWith, build } = useScratch();

describe('bad input gives diagnostics, never a crash, and the rest of the graph stays intact', () => {
  it('syntax errors: what parses is indexed, errors have positions', async () => {
    const { e, report } = await build(dirWith({ 'good.py': GOOD, 'bad.py': 'def ok():\n    pass\n\ndef broken(:\n    return\n\nclass Fine:\n    def m(self):\n        ok()\n' }));
    const diags = report.diagnostics.filter((d) => d.file === 'bad.py');
    expect(diags.length).toBeGreaterThan(0);
    expect(diags[0]).toMatchObject({ kind: 'syntax', line: 4 });
    expect(e.node('bad.ok')?.kind).toBe('function');
    expect(e.node('bad.Fine.m')?.kind).toBe('method');
    expect(e.callees('good.caller').map((n) => n.id)).toEqual(['good.good']);
  });

  it('non-UTF-8 text is decoded with replacement; binary .py files are skipped', async () => {
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\ndef latin():\n    pass\n')]);
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0xff]);
    const { e, report } = await build(dirWith({ 'good.py': GOOD, 'latin.py': latin1, 'blob.py': binary }));
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'latin.py', kind: 'encoding' }), expect.objectContaining({ file: 'blob.py', kind: 'binary' })]),
    );
    expect(e.node('latin.latin')?.kind).toBe('function');
    expect(e.node('blob')).toBeUndefined();
    expect(e.node('good.good')).toBeDefined();
  });

  it('symlink loops end; each real folder is walked once', async () => {
    const dir = dirWith({ 'pkg/__init__.py': '', 'pkg/mod.py': GOOD });
    symlinkSync(dir, path.join(dir, 'pkg', 'loop'));
    symlinkSync(path.join(dir, 'pkg'), path.join(dir, 'again'));
    const { e, report } = await build(dir);
    expect(report.files).toBe(2);
    expect(e.node('pkg.mod.good')).toBeDefined();
  });

  it('unreadable entries: dangling symlinks and FIFOs named .py', async () => {
    const dir = dirWith({ 'good.py': GOOD });
    symlinkSync(path.join(dir, 'nowhere.py'), path.join(dir, 'ghost.py'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
    const { e, report } = await build(dir);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'ghost.py', kind: 'unreadable' }), expect.objectContaining({ file: 'pipe.py', kind: 'unreadable' })]),
    );
    expect(e.node('good.good')).toBeDefined();
    // Named explicitly in an update, the FIFO is refused without being opened (opening it would
    // block until a writer appears).
    const u = (await e.update(['pipe.py']))._unsafeUnwrap();
    expect(u.diagnostics).toEqual([expect.objectContaining({ file: 'pipe.py', kind: 'unreadable', message: 'not a regular file' })]);
    expect(e.node('good.good')).toBeDefined();
  });

  it('files deleted mid-build are reported as vanished', async () => {
    const dir = dirWith({ 'a.py': GOOD, 'm.py': 'x = 1\n', 'z.py': 'def z():\n    pass\n' });
    let deleted = false;
    const { e, report } = await build(dir, () => {
      if (!deleted) {
        deleted = true;
        execFileSync('rm', ['-f', path.join(dir, 'z.py')]);
      }
    });
    expect(report.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'z.py', kind: 'vanished' })]));
    expect(e.node('z')).toBeUndefined();
    expect(e.node('a.good')).toBeDefined();
  });
});
