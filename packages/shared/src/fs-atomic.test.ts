import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './fs-atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces content and applies the mode, leaving no temp files', async () => {
    const target = path.join(dir, 'nested', 'config.json');
    (await writeFileAtomic(target, 'one')).isOk();
    const r = await writeFileAtomic(target, 'two', { mode: 0o600 });
    expect(r.isOk()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('two');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(target))).toEqual(['config.json']);
  });

  it('fails with a typed error and keeps the old file when the target is a directory', async () => {
    const target = path.join(dir, 'occupied');
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'keep');
    const r = await writeFileAtomic(target, 'new');
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'write_failed', path: target });
    expect(await readFile(path.join(target, 'keep.txt'), 'utf8')).toBe('keep');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
