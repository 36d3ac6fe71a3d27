import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureIO } from '@yantra/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { MODEL_DIR, tempProject } from './test-support.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/cli/mistakes.json');

describe('yantra-learn commands (real store, in-process vectors)', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  const run = async (...argv: string[]) => {
    const io = captureIO({}, project.dir);
    const code = await main([...argv, '--model-dir', MODEL_DIR, '--chroma', 'off'], io);
    return { code, out: io.out(), err: io.err(), json: () => JSON.parse(io.out()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => {
    await project?.cleanup();
  });

  it('records from a JSON file and reports each result', async () => {
    const r = await run('record', '--json-file', fixture, '--json');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const results = r.json()['results'] as { status: string }[];
    expect(results.map((x) => x.status)).toEqual(['recorded', 'recorded', 'ignored']);
  });

  it('queries by meaning and lists by category', async () => {
    const q = await run('query', "coroutine 'save_cart' was never awaited", '--model', 'gpt-x', '--k', '3', '--min-similarity', '0.6', '--json');
    expect(q.code).toBe(0);
    const body = q.json() as { patterns: { category: string; similarity: number }[]; context: string };
    expect(body.patterns).toHaveLength(1);
    expect(body.patterns[0]!.category).toBe('async');
    expect(body.context).toContain('Avoid these mistakes');
    const l = await run('list', '--category', 'security', '--json');
    expect((l.json()['patterns'] as { errorType: string }[]).map((p) => p.errorType)).toEqual(['python.sql-injection']);
    const human = await run('list');
    expect(human.out).toContain('security/major');
  });

  it('exports to a file, clears and imports back', async () => {
    const out = path.join(project.dir, 'export.json');
    expect((await run('export', '--out', out, '--json')).json()).toEqual({ path: out, patterns: 2 });
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ format: 'yantra-learning', version: 1 });
    expect((await run('clear', '--category', 'async', '--json')).json()).toEqual({ removed: 1 });
    expect((await run('clear', '--json')).json()).toEqual({ removed: 1 });
    expect((await run('import', out, '--json')).json()).toEqual({ imported: 2, merged: 0 });
    expect((await run('maintain', '--json')).json()).toMatchObject({ archived: 0, merged: [], reembedded: 0 });
  });

  it('opts out through settings, saved in the project config', async () => {
    expect((await run('settings', '--disable', '--disabled-categories', 'style,test', '--json')).json()).toEqual({ enabled: false, disabledCategories: ['style', 'test'] });
    const r = await run('record', '--json-file', fixture, '--json');
    expect((r.json()['results'] as { reason: string }[]).map((x) => x.reason)).toEqual(['opted_out', 'opted_out', 'opted_out']);
    expect((await run('settings', '--enable', '--disabled-categories', 'none', '--json')).json()).toEqual({ enabled: true, disabledCategories: [] });
  });

  it('exits 2 on bad input and 1 when the model is missing', async () => {
    const bad = path.join(project.dir, 'bad.json');
    await writeFile(bad, '{"source":"test","model":"m"}');
    const r = await run('record', '--json-file', bad, '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ error: { kind: 'invalid_input' } });
    expect((await run('record', '--json-file', path.join(project.dir, 'missing.json'), '--json')).code).toBe(2);
    expect((await run('list', '--category', 'nope', '--json')).code).toBe(2);
    const io = captureIO({}, project.dir);
    expect(await main(['list', '--json', '--model-dir', path.join(project.dir, 'no-model'), '--chroma', 'off'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'embedder_unavailable' } });
  });

  it('bench prints one JSON object with the measured figures', async () => {
    const r = await run('bench', '--patterns', '150', '--samples', '10', '--json');
    expect(r.code).toBe(0);
    const report = r.json() as { patterns: number; embedP50Ms: number; retrieveP99Ms: number; bytesPer100Patterns: number; vectorIndex: string };
    expect(report.patterns).toBe(150);
    expect(report.vectorIndex).toBe('memory');
    expect(report.embedP50Ms).toBeGreaterThan(0);
    expect(report.retrieveP99Ms).toBeGreaterThan(0);
    expect(report.bytesPer100Patterns).toBeGreaterThan(0);
    expect(r.err).toContain('retrieve 20/20');
  });
});
