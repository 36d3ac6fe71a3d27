import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createGraphEngine, type GraphEngine } from '../src/index.js';
import { PROJECT, snapshot, tempCopy } from './helpers.js';

const open: GraphEngine[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of open.splice(0)) e.close();
  for (const c of cleanups.splice(0)) c();
});

function engineFor(root: string, dbPath?: string | false): GraphEngine {
  const e = createGraphEngine({ root, ...(dbPath === undefined ? {} : { dbPath }) });
  open.push(e);
  return e;
}

function project(): string {
  const t = tempCopy();
  cleanups.push(t.dispose);
  return t.dir;
}

describe('graph of the fixture project', () => {
  it('has nodes with ids, kinds, signatures, decorators and docstrings', async () => {
    const e = engineFor(PROJECT, false);
    expect((await e.build()).isOk()).toBe(true);
    expect(e.node('shop')?.kind).toBe('module');
    expect(e.node('shop.models.Cart')?.kind).toBe('class');
    expect(e.node('shop.models.make_cart')?.kind).toBe('function');
    expect(e.node('shop.models.Cart.TAX')?.kind).toBe('variable');
    expect(e.node('shop.models.Cart.owner')?.kind).toBe('variable');
    expect(e.node('shop.models.json')?.kind).toBe('import');
    expect(e.node('shop.models.make_cart.owner')?.kind).toBe('parameter');
    const init = e.node('shop.models.Cart.__init__');
    expect(init).toMatchObject({ kind: 'method', file: 'shop/models.py', lineStart: 26, lineEnd: 29 });
    expect(init?.signature).toEqual({
      params: [
        { name: 'self', kind: 'positional' },
        { name: 'owner', kind: 'positional', annotation: 'str' },
        { name: 'items', kind: 'var_positional', annotation: 'Item' },
        { name: 'discount', kind: 'keyword_only', default: '0.0', annotation: 'float' },
        { name: 'meta', kind: 'var_keyword' },
      ],
      returns: 'None',
      async: false,
    });
    expect(e.node('shop.models.Cart.add')).toMatchObject({ decorators: ['logged'], docstring: 'Add one item.' });
    expect(e.node('shop.models.Item')).toMatchObject({ decorators: ['dataclass'], docstring: 'A thing for sale.' });
    expect(e.node('json.dumps')?.kind).toBe('external');
    expect(e.node('<builtin>.sum')?.kind).toBe('external');
  });

  it('has every edge kind, resolved through imports, MRO and decorators', async () => {
    const e = engineFor(PROJECT, false);
    await e.build();
    const has = (s: string, kind: string, t: string) => e.graph.hasEdge(`${s}\u0001${kind}\u0001${t}`);
    expect(has('shop.models.Cart', 'contains', 'shop.models.Cart.add')).toBe(true);
    expect(has('shop.checkout', 'imports', 'shop.models.make_cart')).toBe(true);
    expect(has('shop', 'imports', 'shop.models.Cart')).toBe(true);
    expect(has('shop.models.Cart', 'inherits', 'shop.models.Base')).toBe(true);
    expect(has('shop.models.logged', 'decorates', 'shop.models.Cart.add')).toBe(true);
    expect(has('shop.models.make_cart', 'calls', 'shop.models.Cart.__init__')).toBe(true);
    expect(has('shop.checkout.checkout', 'calls', 'shop.models.Cart.total')).toBe(true);
    expect(has('shop.checkout.checkout', 'calls', 'shop.models.logged.wrapper')).toBe(true);
    expect(has('shop.models.logged.wrapper', 'calls', 'shop.models.Cart.add')).toBe(true);
    expect(has('shop.models.Cart.dump', 'calls', 'json.dumps')).toBe(true);
    expect(has('shop.models.Cart.total', 'uses', 'shop.models.Cart.TAX')).toBe(true);
    expect(has('shop.models.make_cart', 'data_flow', 'shop.models.DEFAULT')).toBe(true);
    // Cart.total overrides Base.total: a call on a Cart never reaches Base.total.
    expect(has('shop.checkout.checkout', 'calls', 'shop.models.Base.total')).toBe(false);
  });

  it('answers callers, callees, dependents, dependencies, find, path, impact and stats', async () => {
    const e = engineFor(PROJECT, false);
    await e.build();
    expect(e.callers('shop.models.Cart.total').map((n) => n.id).sort()).toEqual(['shop.checkout.checkout', 'shop.models.Cart.dump']);
    expect(e.callees('shop.models.make_cart').map((n) => n.id)).toEqual(['shop.models.Cart.__init__']);
    const d1 = e.dependents('shop.models.Cart.total', { depth: 1, kinds: ['calls'] }).map((n) => n.id).sort();
    expect(d1).toEqual(['shop.checkout.checkout', 'shop.models.Cart.dump']);
    const d2 = e.dependents('shop.models.Cart.total', { depth: 2, kinds: ['calls'] }).map((n) => n.id);
    expect(d2).toContain('tests.test_checkout.test_checkout_total');
    expect(d2).toContain('shop.checkout.receipt');
    expect(e.dependencies('shop.checkout.checkout', { kinds: ['calls'] }).map((n) => n.id)).toContain('shop.models.Cart.__init__');
    expect(e.find('make_cart').map((n) => n.id)).toEqual(['shop.checkout.make_cart', 'shop.models.make_cart']);
    expect(e.find({ prefix: 'shop.models.Cart.', kind: 'method' }).map((n) => n.name).sort()).toEqual(['__init__', 'add', 'dump', 'total']);
    expect(e.path('tests.test_checkout.test_checkout_total', 'shop.models.Cart.__init__')).toEqual([
      'tests.test_checkout.test_checkout_total',
      'shop.checkout.checkout',
      'shop.models.make_cart',
      'shop.models.Cart.__init__',
    ]);
    expect(e.path('shop.models.Cart.__init__', 'tests.test_checkout.test_checkout_total')).toBeNull();
    const impact = e.impact(['shop.models.Cart.total']);
    expect(impact.tests).toEqual(['tests/test_checkout.py::TestReceipt::test_receipt', 'tests/test_checkout.py::test_checkout_total']);
    expect(impact.files).toEqual(['shop/checkout.py', 'shop/models.py', 'tests/test_checkout.py']);
    expect(impact.symbols).toContain('shop.checkout.receipt');
    expect(impact.symbols).not.toContain('tests.test_checkout.test_unrelated');
    const s = e.stats();
    expect(s.files).toBe(4);
    expect(s.nodeKinds['module']).toBe(4);
    expect(s.edgeKinds['calls']).toBeGreaterThan(5);
  });
});

describe('persistence', () => {
  it('stores the graph in <root>/.yantra/graph.db (WAL) and loads the same graph', async () => {
    const dir = project();
    const a = engineFor(dir);
    await a.build();
    const before = snapshot(a);
    a.close();
    const db = new Database(path.join(dir, '.yantra', 'graph.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(4);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type='index' ORDER BY name`).pluck().all()).toEqual(expect.arrayContaining(['edges_target', 'nodes_file', 'nodes_name']));
    db.close();
    const b = engineFor(dir);
    const opened = (await b.open())._unsafeUnwrap();
    expect(opened.mode).toBe('loaded');
    expect(opened.update?.changed).toEqual([]);
    expect(snapshot(b)).toEqual(before);
  });

  it('writes a fast-path update before the next operation and at close; a database copied before that write opens to the same graph', async () => {
    const dir = project();
    const dbFile = path.join(dir, '.yantra', 'graph.db');
    const a = engineFor(dir);
    await a.build();
    const file = path.join(dir, 'shop', 'models.py');
    const storedHash = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return db.prepare('SELECT hash FROM files WHERE path = ?').pluck().get('shop/models.py');
      } finally {
        db.close();
      }
    };
    const before = storedHash();
    writeFileSync(file, readFileSync(file, 'utf8').replace('Add one item.', 'Add exactly one item.'));
    expect((await a.update([file]))._unsafeUnwrap().reresolved).toBe(false);
    // No macrotask has run since the update resolved: the write is still pending. A copy of the
    // database now is what a crash at this moment would leave.
    const crash = tempCopy(dir);
    cleanups.push(crash.dispose);
    cpSync(dbFile, path.join(crash.dir, '.yantra', 'graph.db'));
    if (existsSync(`${dbFile}-wal`)) cpSync(`${dbFile}-wal`, path.join(crash.dir, '.yantra', 'graph.db-wal'));
    rmSync(path.join(crash.dir, '.yantra', 'graph.db-shm'), { force: true });
    expect(storedHash()).toBe(before);
    // The next operation writes it first.
    (await a.refresh())._unsafeUnwrap();
    const after = storedHash();
    expect(after).not.toBe(before);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Add exactly one item.', 'Add one item, exactly.'));
    expect((await a.update([file]))._unsafeUnwrap().reresolved).toBe(false);
    const expected = snapshot(a);
    a.close();
    expect(storedHash()).not.toBe(after);
    const b = engineFor(dir);
    const reopened = (await b.open())._unsafeUnwrap();
    expect(reopened.mode).toBe('loaded');
    expect(reopened.update?.changed).toEqual([]);
    expect(snapshot(b)).toEqual(expected);
    // The crash copy holds the state before the first edit; opening it re-applies the edits.
    writeFileSync(path.join(crash.dir, 'shop', 'models.py'), readFileSync(file, 'utf8'));
    const c = engineFor(crash.dir);
    const recovered = (await c.open())._unsafeUnwrap();
    expect(recovered.mode).toBe('loaded');
    expect(recovered.update?.changed).toEqual(['shop/models.py']);
    const cold = engineFor(crash.dir, false);
    await cold.build();
    expect(snapshot(c)).toEqual(snapshot(cold));
  });

  it('applies files changed on disk while closed when it opens', async () => {
    const dir = project();
    const a = engineFor(dir);
    await a.build();
    a.close();
    appendFileSync(path.join(dir, 'shop', 'checkout.py'), '\n\ndef refund():\n    return make_cart("x").total()\n');
    const b = engineFor(dir);
    const opened = (await b.open())._unsafeUnwrap();
    expect(opened.update?.changed).toEqual(['shop/checkout.py']);
    expect(b.callers('shop.models.Cart.total').map((n) => n.id)).toContain('shop.checkout.refund');
  });

  it('rebuilds a corrupt database and one from an unknown schema version', async () => {
    const dir = project();
    const dbFile = path.join(dir, '.yantra', 'graph.db');
    const a = engineFor(dir);
    await a.build();
    const good = snapshot(a);
    a.close();
    writeFileSync(dbFile, Buffer.alloc(8192, 0x5a));
    const b = engineFor(dir);
    const ob = (await b.open())._unsafeUnwrap();
    expect(ob.mode).toBe('built');
    expect(ob.build?.dbReset).toBe('corrupt');
    expect(snapshot(b)).toEqual(good);
    b.close();
    const db = new Database(dbFile);
    db.pragma('user_version = 99');
    db.close();
    const c = engineFor(dir);
    const oc = (await c.open())._unsafeUnwrap();
    expect(oc.build?.dbReset).toBe('unknown_version');
    expect(snapshot(c)).toEqual(good);
  });

  it('stops an aborted build and refuses work after close()', async () => {
    const ac = new AbortController();
    ac.abort();
    const aborted = createGraphEngine({ root: PROJECT, dbPath: false, signal: ac.signal });
    open.push(aborted);
    const r = await aborted.build();
    expect(r.isErr() && r.error.kind).toBe('aborted');
    const e = createGraphEngine({ root: PROJECT, dbPath: false });
    e.close();
    const c = await e.build();
    expect(c.isErr() && c.error.kind).toBe('closed');
  });

  it('reports a missing root as a typed error', async () => {
    const e = engineFor('/nonexistent/gnn-root', false);
    const r = await e.build();
    expect(r.isErr() && r.error.kind).toBe('invalid_root');
  });
});

describe('incremental updates', () => {
  it('skips files whose content hash is unchanged and handles removals', async () => {
    const dir = project();
    const e = engineFor(dir);
    await e.build();
    const same = (await e.update([path.join(dir, 'shop', 'models.py')]))._unsafeUnwrap();
    expect(same.unchanged).toEqual(['shop/models.py']);
    expect(same.changed).toEqual([]);
    const file = path.join(dir, 'shop', 'checkout.py');
    writeFileSync(file, readFileSync(file, 'utf8').replace('return cart.total()', 'return 0'));
    const r = (await e.update(['shop/checkout.py']))._unsafeUnwrap();
    expect(r.changed).toEqual(['shop/checkout.py']);
    expect(e.callers('shop.models.Cart.total').map((n) => n.id)).toEqual(['shop.models.Cart.dump']);
  });

  it('reuses the resolution when an edit only touches comments, docstrings or positions', async () => {
    const dir = project();
    const e = engineFor(dir);
    await e.build();
    const file = path.join(dir, 'shop', 'models.py');
    writeFileSync(file, `# a new first line\n${readFileSync(file, 'utf8').replace('Add one item.', 'Add exactly one item.')}`);
    const r = (await e.update([file]))._unsafeUnwrap();
    expect(r).toMatchObject({ changed: ['shop/models.py'], reresolved: false });
    expect(e.node('shop.models.Cart.add')).toMatchObject({ lineStart: 33, docstring: 'Add exactly one item.' });
    const cold = engineFor(dir, false);
    await cold.build();
    expect(snapshot(e)).toEqual(snapshot(cold));
  });

  it('watch() batches file events into one update', async () => {
    const dir = project();
    const e = engineFor(dir);
    await e.build();
    const reports: string[][] = [];
    const w = e.watch({ debounceMs: 150, onUpdate: (r) => reports.push(r.changed) });
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(path.join(dir, 'shop', 'a.py'), 'def a():\n    pass\n');
    writeFileSync(path.join(dir, 'shop', 'b.py'), 'from .a import a\n\na()\n');
    await new Promise((r) => setTimeout(r, 1200));
    await w.close();
    expect(reports.length).toBe(1);
    expect(reports[0]?.sort()).toEqual(['shop/a.py', 'shop/b.py']);
    expect(e.callers('shop.a.a').map((n) => n.id)).toEqual(['shop.b']);
  });
});

describe('typing in one method', () => {
  it('successive updates of the same method (spliced from the last one, its memo reused) equal a cold build after each save', async () => {
    const root = project();
    const e = engineFor(root);
    (await e.build())._unsafeUnwrap();
    const file = path.join(root, 'shop', 'models.py');
    const anchor = '        return base * (1 + self.TAX) - self.discount';
    // A new local, a call, an edited line, a removed line: each save is one update.
    const saves: ((lines: string[], at: number) => void)[] = [
      (l, at) => l.splice(at, 0, '        extra = 1'),
      (l, at) => l.splice(at, 0, '        rounded = round(base, 2)'),
      (l, at) => (l[at - 1] = '        rounded = round(base, 3)'),
      (l, at) => l.splice(at - 1, 1),
      (l, at) => l.splice(at, 0, '        self.dump()'),
      (l, at) => l.splice(at - 1, 1),
    ];
    for (const save of saves) {
      const lines = readFileSync(file, 'utf8').split('\n');
      save(lines, lines.indexOf(anchor));
      writeFileSync(file, lines.join('\n'));
      const u = (await e.update([file]))._unsafeUnwrap();
      expect(u.changed).toEqual(['shop/models.py']);
      const cold = engineFor(root, false);
      (await cold.build())._unsafeUnwrap();
      expect(snapshot(e)).toEqual(snapshot(cold));
    }
    expect(e.callees('shop.models.Cart.total').map((n) => n.id)).toContain('<builtin>.sum');
  });
});
