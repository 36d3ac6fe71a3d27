import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleLargeProject } from './bench.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/intent/project');

let scratch: string | undefined;
afterEach(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function write(file: string, lines: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Array.from({ length: lines }, (_, i) => `x${i} = ${i}`).join('\n') + '\n');
}

describe('assembleLargeProject (the bench corpus, built at bench time)', () => {
  it('adds whole library packages in order until the size is reached, leaving their tests out', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'yantra-assemble-'));
    const lib = path.join(scratch, 'lib');
    await write(path.join(lib, 'asyncio/__init__.py'), 100);
    await write(path.join(lib, 'asyncio/test/test_big.py'), 5000);
    await write(path.join(lib, 'email/parser.py'), 100);
    await write(path.join(lib, 'xml/dom.py'), 100);
    const out = await assembleLargeProject({ sample: fixtures, stdlibDir: lib, loc: 200, into: path.join(scratch, 'a') });
    expect(out.packages).toEqual(['asyncio', 'email']);
    expect(out.loc).toBeGreaterThanOrEqual(200);
    expect(out.loc).toBeLessThan(300);
    expect((await readdir(out.dir)).sort()).toEqual(['asyncio', 'email', 'store']);
    expect(await readdir(path.join(out.dir, 'asyncio'))).toEqual(['__init__.py']);
    await expect(assembleLargeProject({ sample: fixtures, stdlibDir: lib, loc: 100_000, into: path.join(scratch, 'b') })).rejects.toThrow(/need 100000/);
  });
});
