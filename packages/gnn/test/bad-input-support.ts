import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../src/index.js';
import { tempDir } from './helpers.js';

export const GOOD = 'def good():\n    return 1\n\ndef caller():\n    return good()\n';

/**
 * Scratch projects for the bad-input tests: `dirWith` writes a file tree into a temp dir and
 * `build` builds an in-memory graph of it; both are cleaned up after each test.
 */
export function useScratch() {
  const engines: GraphEngine[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const e of engines.splice(0)) e.close();
    for (const c of cleanups.splice(0)) c();
  });
  const dirWith = (files: Record<string, string | Buffer>): string => {
    const t = tempDir();
    cleanups.push(t.dispose);
    for (const [rel, content] of Object.entries(files)) {
      const p = path.join(t.dir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
    return t.dir;
  };
  const build = async (dir: string, onProgress?: (done: number, total: number) => void) => {
    const e = createGraphEngine({ root: dir, dbPath: false });
    engines.push(e);
    const r = await e.build(onProgress ? { onProgress } : {});
    return { e, report: r._unsafeUnwrap() };
  };
  return { dirWith, build, track: (e: GraphEngine) => engines.push(e), onCleanup: (c: () => void) => cleanups.push(c) };
}
