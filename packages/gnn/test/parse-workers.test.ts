import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../src/index.js';
import { readFileRecord } from '../src/parse/file-record.js';
import { bareParseParallel, readFilesParallel } from '../src/parse/parallel.js';
import { loadPythonParser } from '../src/parse/parser.js';
import { listPythonFiles, type ListedFile } from '../src/project/files.js';
import { snapshot, tempCopy } from './helpers.js';

/*
 * The per-file phase of a cold build on worker threads must give exactly what the main thread
 * gives: the same records (forms, splice tables, diagnostics), hence the same graph; and a worker
 * that dies or throws hands its files back to the main thread.
 */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

// Collects warnings: a worker that failed to start or stopped says so.
const recorder = () => {
  const warns: string[] = [];
  const note = () => undefined;
  return { warns, logger: { debug: note, info: note, error: note, warn: (m: string) => void warns.push(m) } };
};

const workerHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'Worker' || r === 'MessagePort').length;

let files: ListedFile[] = [];
let serial: ReturnType<typeof readFileRecord>[] = [];

beforeAll(async () => {
  files = (await listPythonFiles(FIXTURES)).files;
  const pp = await loadPythonParser();
  serial = files.map((f) => readFileRecord(pp, f.rel, f.abs));
});

describe('readFilesParallel', () => {
  it('gives the serial records, in listing order, on one and two workers', async () => {
    expect(files.length).toBeGreaterThan(250);
    const pp = await loadPythonParser();
    const before = workerHandles();
    for (const workers of [1, 2]) {
      let arrived = 0;
      const log = recorder();
      const got = await readFilesParallel(files, pp, { workers, logger: log.logger, onFile: () => arrived++ });
      expect(log.warns).toEqual([]);
      expect(arrived).toBe(files.length);
      expect(got).toEqual(serial);
      // Splice tables (typed arrays, maps) survive the copy from the worker.
      const withChunks = got.find((r) => r !== 'missing' && r.chunks !== undefined);
      expect(withChunks !== 'missing' && withChunks?.chunks?.starts).toBeInstanceOf(Int32Array);
    }
    expect(workerHandles()).toBe(before);
  });

  it('redoes on the main thread a file nested too deep for a worker, so it gets the serial result', async () => {
    // 1,100 nested lists: within the main thread's stack, past a worker's smaller one.
    const copy = tempCopy(path.join(FIXTURES, 'callgraph', 'args'));
    try {
      const deep = Array.from({ length: 3 }, (_, i) => {
        const rel = `deep${i}.py`;
        writeFileSync(path.join(copy.dir, rel), `y = ${'['.repeat(1100)}${']'.repeat(1100)}\ndef f():\n    return y\n`);
        return { rel, abs: path.join(copy.dir, rel) } as ListedFile;
      });
      const pp = await loadPythonParser();
      const alone = deep.map((f) => readFileRecord(pp, f.rel, f.abs));
      expect(alone.every((r) => r !== 'missing' && r.diagnostics.length === 0)).toBe(true);
      const log = recorder();
      expect(await readFilesParallel(deep, pp, { workers: 1, mainShare: false, batchFiles: 1, logger: log.logger })).toEqual(alone);
      expect(log.warns).toEqual([]);
    } finally {
      copy.dispose();
    }
  });

  it('gives the same records when the main thread only collects, and each form’s JSON text as the serial build serializes it', async () => {
    const pp = await loadPythonParser();
    const log = recorder();
    const json = new Map<string, string | null>();
    const got = await readFilesParallel(files, pp, { workers: 1, mainShare: false, logger: log.logger, onIrJson: (rel, j) => json.set(rel, j) });
    expect(got).toEqual(serial);
    expect(log.warns).toEqual([]);
    // Every file came from the worker, so every one has its text, equal to serializing the serial form.
    expect(json.size).toBe(files.length);
    for (const r of serial) if (r !== 'missing') expect(json.get(r.path), r.path).toBe(r.ir ? JSON.stringify(r.ir) : null);
  });

  it.each(['exit', 'throw'] as const)('finishes on the main thread when every worker fails (%s)', async (mode) => {
    const pp = await loadPythonParser();
    const before = workerHandles();
    const log = recorder();
    const got = await readFilesParallel(files, pp, { workers: 2, mainShare: false, logger: log.logger, fault: { after: 2, mode } });
    expect(got).toEqual(serial);
    expect(log.warns.filter((w) => w.startsWith('parse worker stopped'))).toHaveLength(2);
    expect(workerHandles()).toBe(before);
  });

  it('reports a file that vanished after listing as missing', async () => {
    const pp = await loadPythonParser();
    const ghost: ListedFile = { rel: 'gone/ghost.py', abs: path.join(FIXTURES, 'no-such-folder', 'ghost.py') };
    const list = [...files.slice(0, 20), ghost, ...files.slice(20, 40)];
    const got = await readFilesParallel(list, pp, { workers: 1, mainShare: false, batchFiles: 4 });
    expect(got[20]).toBe('missing');
    expect(got.filter((r) => r === 'missing')).toHaveLength(1);
    expect(got.slice(0, 20)).toEqual(serial.slice(0, 20));
  });

  it('stops with an aborted error and leaves no worker behind', async () => {
    const pp = await loadPythonParser();
    const before = workerHandles();
    const ac = new AbortController();
    let n = 0;
    const run = readFilesParallel(files, pp, {
      workers: 1,
      signal: ac.signal,
      onFile: () => {
        if (++n === 50) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
    expect(n).toBeLessThan(files.length);
    expect(workerHandles()).toBe(before);
  });
});

describe('bareParseParallel (the benchmark’s parse on the build’s threads)', () => {
  it('parses every file exactly once across the main thread and the workers, and leaves no worker behind', async () => {
    const pp = await loadPythonParser();
    const before = workerHandles();
    for (const workers of [0, 1, 2]) {
      const t = await bareParseParallel(files, pp, { workers });
      expect(t.filesPerThread).toHaveLength(workers + 1);
      expect(t.filesPerThread.reduce((a, b) => a + b, 0)).toBe(files.length);
      expect(t.ms).toBeGreaterThan(0);
    }
    // With the main thread only collecting, the workers parse everything.
    const theirs = await bareParseParallel(files, pp, { workers: 2, mainShare: false });
    expect(theirs.filesPerThread[0]).toBe(0);
    expect(theirs.filesPerThread.reduce((a, b) => a + b, 0)).toBe(files.length);
    expect(workerHandles()).toBe(before);
  });

  it('rejects when a file cannot be read, by the main thread or by a worker, and leaves no worker behind', async () => {
    const pp = await loadPythonParser();
    const before = workerHandles();
    const gone = { rel: 'gone.py', abs: path.join(FIXTURES, 'no-such-folder', 'gone.py') };
    // The main thread claims the first batch before any worker has started.
    await expect(bareParseParallel([gone, ...files], pp, { workers: 1 })).rejects.toThrow(/ENOENT/);
    expect(workerHandles()).toBe(before);
    // Only workers parse: one of them meets the file.
    await expect(bareParseParallel([...files, gone], pp, { workers: 2, mainShare: false })).rejects.toThrow(/ENOENT/);
    expect(workerHandles()).toBe(before);
  });
});

describe('cold build with parse workers', () => {
  let copy: { dir: string; dispose: () => void };
  const engines: GraphEngine[] = [];
  beforeAll(() => {
    copy = tempCopy(FIXTURES);
    // Bad input travels through the workers too: syntax errors, binary, non-UTF-8, deep nesting.
    writeFileSync(path.join(copy.dir, 'bad_syntax.py'), 'def broken(:\n    pass\n\ndef fine():\n    return 1\n');
    writeFileSync(path.join(copy.dir, 'binary.py'), Buffer.from([0x70, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(copy.dir, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    // The bad-input suite's 1,000-deep file: expressions and blocks.
    let blocks = '';
    for (let d = 0; d < 1000; d++) blocks += `${' '.repeat(d)}if x:\n`;
    blocks += `${' '.repeat(1000)}fine()\n`;
    writeFileSync(path.join(copy.dir, 'deep.py'), `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\ny = ${'['.repeat(1000)}${']'.repeat(1000)}\n${blocks}`);
  });
  afterAll(() => {
    for (const e of engines) e.close();
    copy.dispose();
  });
  const build = async (parseWorkers: number) => {
    const e = createGraphEngine({ root: copy.dir, dbPath: false, parseWorkers, parallelThreshold: 1 });
    engines.push(e);
    let last = 0;
    const report = (await e.build({ onProgress: (done) => (last = done) }))._unsafeUnwrap();
    return { e, report, last };
  };

  it('equals the serial build: graph, call graph, diagnostics, stats, and later updates', async () => {
    const a = await build(0);
    const b = await build(1);
    expect([a.report.parseWorkers, b.report.parseWorkers]).toEqual([0, 1]);
    expect(b.last).toBe(b.report.files);
    expect(b.report.files).toBe(a.report.files);
    expect(b.report.diagnostics).toEqual(a.report.diagnostics);
    expect(b.report.diagnostics.map((d) => d.kind)).toEqual(expect.arrayContaining(['syntax', 'binary', 'encoding']));
    expect(snapshot(b.e)).toEqual(snapshot(a.e));
    expect(b.e.callGraph()).toEqual(a.e.callGraph());
    expect(b.e.stats()).toEqual(a.e.stats());
    // The splice tables came from the workers: an edit inside one definition is spliced the same way.
    const target = 'project/shop/models.py';
    const abs = path.join(copy.dir, target);
    const text = readFileSync(abs, 'utf8');
    const edited = text.replace(/return /, 'return  ');
    expect(edited).not.toBe(text);
    writeFileSync(abs, edited);
    const ua = (await a.e.update([target]))._unsafeUnwrap();
    const ub = (await b.e.update([target]))._unsafeUnwrap();
    expect(ub.changed).toEqual([target]);
    expect(ub.reresolved).toBe(ua.reresolved);
    expect(snapshot(b.e)).toEqual(snapshot(a.e));
  });
});
