import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLearningStore, type LearningStore, type MistakeInput } from './index.js';
import { MODEL_DIR, tempProject } from './test-support.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const unawaited = (model: string, name = 'fetch_user'): MistakeInput => ({
  source: 'test',
  model,
  failure: { nodeId: 'tests/test_users.py::test_get', message: `RuntimeWarning: coroutine '${name}' was never awaited` },
  generatedCode: `async def get(uid):\n    user = ${name}(uid)\n    return user\n`,
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('learning store on real SQLite, Chroma and MiniLM', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let store: LearningStore;

  beforeAll(async () => {
    project = await tempProject();
    store = (await createLearningStore({ projectRoot: project.dir, modelDir: MODEL_DIR }))._unsafeUnwrap();
  });
  afterAll(async () => {
    await store?.close();
    await project?.cleanup();
  });

  it('records a pattern once and raises its frequency on a repeat', async () => {
    const first = (await store.record(unawaited('gpt-x')))._unsafeUnwrap();
    expect(first).toMatchObject({ status: 'recorded', vectorSynced: true, pattern: { category: 'async', frequency: 1 } });
    // The same mistake with another coroutine name is the same pattern.
    const again = (await store.record(unawaited('gpt-x', 'load_order')))._unsafeUnwrap();
    expect(again).toMatchObject({ status: 'incremented', pattern: { frequency: 2, testFailures: 2 } });
    if (first.status === 'ignored' || again.status === 'ignored') throw new Error('unexpected');
    expect(again.pattern.id).toBe(first.pattern.id);
    // Another model keeps its own pattern.
    expect((await store.record(unawaited('claude-y')))._unsafeUnwrap()).toMatchObject({ status: 'recorded' });
    const db = new Database(path.join(project.dir, '.yantra', 'learning.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM mistake_patterns WHERE model_name = 'gpt-x'").get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM mistake_occurrences').get()).toEqual({ n: 3 });
      const idx = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mistake_patterns'").all() as { name: string }[]).map((r) => r.name);
      expect(idx).toEqual(expect.arrayContaining(['idx_patterns_model_category', 'idx_patterns_frequency', 'idx_patterns_last_seen']));
    } finally {
      db.close();
    }
  });

  it('retrieves the pattern for its model only, and renders it for a prompt', async () => {
    const hits = (await store.retrieve("coroutine 'save_cart' was never awaited", 'gpt-x', { k: 5, minSimilarity: 0.6 }))._unsafeUnwrap();
    expect(hits).toHaveLength(1);
    expect(hits[0]!.pattern.modelName).toBe('gpt-x');
    expect(hits[0]!.similarity).toBeGreaterThan(0.6);
    expect((await store.retrieve('add a GET /users/:id endpoint', 'gpt-x'))._unsafeUnwrap()).toEqual([]);
    expect((await store.retrieve('x', 'gpt-x', { k: 0 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input' });
    const block = store.buildMistakeContext(hits);
    expect(block).toContain("[async, major, seen 2×] RuntimeWarning: coroutine 'fetch_user' was never awaited");
    expect(block).toContain('user = fetch_user(uid)');
  });

  it('handles concurrent record calls without losing or duplicating patterns', async () => {
    const inputs: MistakeInput[] = [];
    for (const word of ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']) {
      for (let rep = 0; rep < 3; rep++) {
        inputs.push({ source: 'manual', model: 'conc', category: 'type', severity: 'major', description: `Passed a str where ${word} wanted an int` });
      }
    }
    const results = await Promise.all(inputs.map((x) => store.record(x)));
    expect(results.every((r) => r.isOk())).toBe(true);
    const listed = (await store.list({ model: 'conc' }))._unsafeUnwrap();
    expect(listed).toHaveLength(6);
    expect(listed.map((p) => p.frequency)).toEqual([3, 3, 3, 3, 3, 3]);
    const statuses = results.map((r) => r._unsafeUnwrap().status).sort();
    expect(statuses.filter((s) => s === 'recorded')).toHaveLength(6);
    expect(statuses.filter((s) => s === 'incremented')).toHaveLength(12);
  });

  it('honours disabled categories and opting out, and saves them in .yantra/learning.json', async () => {
    (await store.updateSettings({ disabledCategories: ['style'] }))._unsafeUnwrap();
    const style: MistakeInput = { source: 'manual', model: 'gpt-x', category: 'style', severity: 'minor', description: 'camelCase function names' };
    expect((await store.record(style))._unsafeUnwrap()).toEqual({ status: 'ignored', reason: 'category_disabled' });
    (await store.updateSettings({ enabled: false }))._unsafeUnwrap();
    expect((await store.record(unawaited('gpt-x')))._unsafeUnwrap()).toEqual({ status: 'ignored', reason: 'opted_out' });
    expect((await store.retrieve("coroutine 'x' was never awaited", 'gpt-x', { minSimilarity: 0 }))._unsafeUnwrap()).toEqual([]);
    const saved = JSON.parse(await readFile(path.join(project.dir, '.yantra', 'learning.json'), 'utf8'));
    expect(saved).toEqual({ enabled: false, disabledCategories: ['style'] });
    expect((await store.updateSettings({ disabledCategories: ['nope' as never] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input' });
    (await store.updateSettings({ enabled: true, disabledCategories: [] }))._unsafeUnwrap();
  });

  it('exports, clears by model and category, and imports back', async () => {
    const exported = (await store.export())._unsafeUnwrap();
    expect(exported.patterns.length).toBe(8);
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect((await store.clear({ model: 'conc' }))._unsafeUnwrap()).toEqual({ removed: 6 });
    expect((await store.clear({ category: 'async', model: 'claude-y' }))._unsafeUnwrap()).toEqual({ removed: 1 });
    expect((await store.list())._unsafeUnwrap().map((p) => p.modelName)).toEqual(['gpt-x']);
    expect((await store.clear())._unsafeUnwrap()).toEqual({ removed: 1 });
    expect(store.status().patterns).toBe(0);
    expect((await store.import(exported))._unsafeUnwrap()).toEqual({ imported: 8, merged: 0 });
    expect((await store.import(exported))._unsafeUnwrap()).toEqual({ imported: 0, merged: 8 });
    const hits = (await store.retrieve("coroutine 'save_cart' was never awaited", 'gpt-x', { minSimilarity: 0.6 }))._unsafeUnwrap();
    expect(hits.map((h) => h.pattern.frequency)).toEqual([4]);
    expect((await store.import({ format: 'other' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input' });
  });

  it('links a successful fix to its pattern as the good example', async () => {
    const [p] = (await store.list({ model: 'gpt-x' }))._unsafeUnwrap();
    (await store.recordFix(p!.id, { fixedCode: 'user = await fetch_user(uid)', description: 'await the coroutine' }))._unsafeUnwrap();
    const [after] = (await store.list({ model: 'gpt-x' }))._unsafeUnwrap();
    expect(after).toMatchObject({ fixApplied: true, goodExample: 'user = await fetch_user(uid)' });
    expect((await store.recordFix('mp_missing', { fixedCode: 'x' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input' });
  });

  it('keeps every secret of a fixture out of SQLite and Chroma', async () => {
    const source = await readFile(path.join(fixtures, 'secrets', 'settings.py'), 'utf8');
    const secrets = (await readFile(path.join(fixtures, 'secrets', 'secrets.txt'), 'utf8')).split('\n').filter(Boolean);
    const inputs: MistakeInput[] = [
      { source: 'test', model: 'leaky', failure: { nodeId: 't::a', message: `AssertionError: expected sk-proj-Zq3xV9pL2mN8kR4tY7wB1cD5fG6hJ0aS`, line: 4 }, generatedCode: source },
      { source: 'security', model: 'leaky', finding: { rule: 'hardcoded-secret', severity: 'critical', message: 'Hardcoded AWS key AKIAIOSFODNN7EXAMPLE', line: 4 }, generatedCode: source },
      { source: 'correction', model: 'leaky', message: "You forgot to read db_password = 'CorrectHorseBatteryStaple' from the environment", previousCode: source },
    ];
    for (const x of inputs) expect((await store.record(x))._unsafeUnwrap().status).toBe('recorded');
    (await store.recordFix((await store.list({ model: 'leaky' }))._unsafeUnwrap()[0]!.id, { fixedCode: 'GITHUB_TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"' }))._unsafeUnwrap();

    // The vectors did reach Chroma (so the scan below is not vacuous).
    const url = new URL(store.status().chromaUrl!);
    const client = new ChromaClient({ host: url.hostname, port: Number(url.port) });
    const col = await client.getCollection({ name: 'llm_mistakes' });
    const docs = await col.get({ where: { model_name: 'leaky' }, include: ['documents'] });
    expect(docs.ids).toHaveLength(3);
    for (const d of docs.documents) for (const s of secrets) expect(d).not.toContain(s);

    // Every byte on disk: the SQLite file and WAL, and Chroma's whole persistence folder.
    const db = new Database(path.join(project.dir, '.yantra', 'learning.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const stored = db.prepare("SELECT generated_code FROM mistake_occurrences o JOIN mistake_patterns p ON p.id = o.pattern_id WHERE p.model_name = 'leaky'").all() as { generated_code: string }[];
    db.close();
    // Only the relevant lines were kept, never the whole file.
    expect(stored).toHaveLength(3);
    expect(stored.every((r) => !r.generated_code.includes('def delete_user'))).toBe(true);
    let chromaHasText = false;
    for (const file of await filesUnder(path.join(project.dir, '.yantra'))) {
      const bytes = await readFile(file);
      for (const s of secrets) expect(bytes.includes(Buffer.from(s)), `${s} found in ${file}`).toBe(false);
      if (file.includes(`${path.sep}chroma${path.sep}`) && bytes.includes(Buffer.from('Hardcoded AWS key'))) chromaHasText = true;
    }
    // Chroma's files do hold the sanitized documents: the scan looked where the text is.
    expect(chromaHasText).toBe(true);
  });
});
