import { readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from '../src/cli.js';
import { tempCopy } from './helpers.js';
import { FIXTURES } from './callgraph-fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function project(): string {
  const t = tempCopy();
  cleanups.push(t.dispose);
  return t.dir;
}

async function run(argv: string[], cwd?: string) {
  const io = captureIO({}, cwd);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('yantra-gnn CLI contract', () => {
  it('build --parse-workers: 0 is the serial path, a bad count is a usage error', async () => {
    const dir = project();
    const serial = await run(['build', dir, '--parse-workers', '0', '--json']);
    expect(serial.code).toBe(0);
    const report = JSON.parse(serial.out) as { parse_workers: number; files: number };
    expect(report.parse_workers).toBe(0);
    expect(report.files).toBeGreaterThan(0);
    // A small project stays below the default threshold: no worker even when one is asked for.
    const small = JSON.parse((await run(['build', dir, '--parse-workers', '1', '--json'])).out) as { parse_workers: number };
    expect(small.parse_workers).toBe(0);
    const bad = await run(['build', dir, '--parse-workers', '1.5', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toEqual({ error: { kind: 'usage', message: expect.stringContaining('--parse-workers') } });
  });

  it('prints help with its name and exits 0', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('yantra-gnn');
  });

  it('prints one JSON object for --version --json', async () => {
    const io = captureIO();
    expect(await main(['--version', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as { name: string; version: string };
    expect(parsed.name).toBe('yantra-gnn');
    expect(parsed.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a JSON error for an unknown command', async () => {
    const io = captureIO();
    expect(await main(['no-such-command', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
  });
});

describe('yantra-gnn commands', () => {
  it('callgraph prints exactly the PyCG object of a fixture case', async () => {
    const dir = path.join(FIXTURES, 'mro', 'super_diamond');
    const r = await run(['callgraph', dir, '--json']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(path.join(dir, 'callgraph.json'), 'utf8')));
  });

  it('build, query and update work on the stored graph', async () => {
    const dir = project();
    const b = await run(['build', dir, '--json']);
    expect(b.code).toBe(0);
    const built = JSON.parse(b.out) as { files: number; nodes: number; edges: number; total_ms: number; persist_mode: string; persist_writer_ms: number };
    expect(built.files).toBe(4);
    // 4 files: below the writer thread's threshold, written on the main thread.
    expect(built.persist_mode).toBe('main');
    expect(built.persist_writer_ms).toBe(0);
    expect(built.nodes).toBeGreaterThan(30);
    expect(b.err).toContain('parsing 4/4');

    const callers = await run(['query', 'callers', 'shop.models.Cart.total', '--dir', dir, '--json']);
    expect(callers.code).toBe(0);
    expect((JSON.parse(callers.out) as { results: { id: string }[] }).results.map((x) => x.id).sort()).toEqual(['shop.checkout.checkout', 'shop.models.Cart.dump']);

    const impact = await run(['query', 'impact', 'shop.models.Cart.total', '--dir', dir, '--json']);
    expect(JSON.parse(impact.out)).toMatchObject({ tests: ['tests/test_checkout.py::TestReceipt::test_receipt', 'tests/test_checkout.py::test_checkout_total'] });

    const deps = await run(['query', 'dependents', 'shop.models.make_cart', '--depth', '1', '--json'], dir);
    expect((JSON.parse(deps.out) as { results: { id: string }[] }).results.map((x) => x.id)).toContain('shop.checkout.checkout');

    const find = await run(['query', 'find', 'make_', '--dir', dir, '--json']);
    expect((JSON.parse(find.out) as { results: { id: string }[] }).results.map((x) => x.id)).toEqual(['shop.checkout.make_cart', 'shop.models.make_cart']);

    appendFileSync(path.join(dir, 'shop', 'checkout.py'), '\n\ndef again():\n    return make_cart("x")\n');
    const u = await run(['update', dir, path.join(dir, 'shop', 'checkout.py'), '--json']);
    expect(u.code).toBe(0);
    expect(JSON.parse(u.out)).toMatchObject({ changed: ['shop/checkout.py'] });
    const after = await run(['query', 'callers', 'shop.models.make_cart', '--dir', dir, '--json']);
    expect((JSON.parse(after.out) as { results: { id: string }[] }).results.map((x) => x.id)).toContain('shop.checkout.again');
  });

  it('reports an unknown symbol (exit 1) and bad usage (exit 2) as JSON errors', async () => {
    const dir = project();
    const missing = await run(['query', 'callers', 'shop.models.Nope', '--dir', dir, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { kind: 'not_found' } });
    const badKind = await run(['query', 'sideways', 'x', '--dir', dir, '--json']);
    expect(badKind.code).toBe(2);
    expect(JSON.parse(badKind.out)).toMatchObject({ error: { kind: 'usage' } });
    const badDepth = await run(['query', 'dependents', 'x', '--depth', 'zero', '--dir', dir, '--json']);
    expect(badDepth.code).toBe(2);
    const noRoot = await run(['build', '/nonexistent/gnn', '--json']);
    expect(noRoot.code).toBe(1);
    expect(JSON.parse(noRoot.out)).toMatchObject({ error: { kind: 'invalid_root' } });
  });

  it('bench prints every figure as one JSON object', async () => {
    const dir = project();
    const r = await run(['bench', dir, '--json', '--edits', '1', '--resolve-edits', '1', '--lookups', '50']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Record<string, unknown>;
    for (const k of ['files', 'loc', 'parse_ms', 'build_ms', 'persist_ms', 'load_ms', 'incremental_ms', 'lookup_ms', 'heap_mb', 'rss_mb']) expect(b).toHaveProperty(k);
    expect(b['files']).toBe(4);
    // The build's own heap is part of the whole heap (without --expose-gc, as here, it may even
    // come out negative when a collection ran during the build, so only the bound is checked).
    expect(typeof b['graph_heap_mb']).toBe('number');
    expect(b['graph_heap_mb']).toBeLessThan(b['heap_mb'] as number);
    expect(b['incremental_ms']).toMatchObject({ n: 1 });
    expect(b['incremental_resolve_ms']).toMatchObject({ n: 1 });
    expect(b['lookup_ms']).toMatchObject({ n: 50 });
    expect(b['rounds']).toBe(1);
    const ratios = b['cold_ratios'] as number[];
    expect(ratios).toHaveLength(1);
    expect(b['cold_ratio']).toBe(ratios[0]);
    // The ratio is the whole cold build over the bare parse, from the unrounded times: the
    // printed times are rounded to hundredths of a millisecond, and the parse of four small files
    // takes well under a millisecond, so the bounds allow for that rounding and the ratio's own.
    const whole = (b['build_ms'] as number) + (b['persist_ms'] as number);
    const parse = b['parse_ms'] as number;
    expect(b['cold_ratio']).toBeGreaterThanOrEqual((whole - 0.01) / (parse + 0.005) - 0.005);
    expect(b['cold_ratio']).toBeLessThanOrEqual((whole + 0.01) / (parse - 0.005) + 0.005);
    expect(b['machine']).toMatchObject({ cores: expect.any(Number), load1: expect.any(Number) });
    // Four files: under the parallel threshold, so the build ran serially and its parallel
    // baseline is the serial parse itself.
    expect(b['parse_workers']).toBe(0);
    expect(b['parse_parallel_ms']).toBe(b['parse_ms']);
    // The solver and the fill are parts of the resolution (build_ms less the per-file phase).
    const solve = b['solve_ms'] as number;
    const fill = b['fill_ms'] as number;
    expect(solve).toBeGreaterThan(0);
    expect(fill).toBeGreaterThan(0);
    expect(solve + fill).toBeLessThanOrEqual((b['build_ms'] as number) - (b['extract_ms'] as number) + 0.02);
  });

  it('bench --rounds measures several bare parse and cold build pairs and reports their medians', async () => {
    const dir = project();
    const r = await run(['bench', dir, '--json', '--rounds', '3', '--edits', '0', '--resolve-edits', '0', '--lookups', '1']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Record<string, unknown>;
    expect(b['rounds']).toBe(3);
    const ratios = b['cold_ratios'] as number[];
    expect(ratios).toHaveLength(3);
    expect(b['cold_ratio']).toBe([...ratios].sort((x, y) => x - y)[1]);
    expect(b['files']).toBe(4);
    const bad = await run(['bench', dir, '--json', '--rounds', '0']);
    expect(bad.code).toBe(2);
  });

  it('watch --for stops by itself and reports its batches', async () => {
    const dir = project();
    const r = await run(['watch', dir, '--for', '300', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ batches: [] });
  });
});
