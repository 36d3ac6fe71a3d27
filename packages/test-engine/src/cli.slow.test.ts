import { captureIO } from '@yantra/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import path from 'node:path';
import { llmFixtureRoot } from './fixture-support/scripted-llm.js';
import { removeAll, workspaceFrom } from './fixture-support/workspaces.js';

const cleanup: string[] = [];
afterEach(() => removeAll(cleanup));

async function ws(name: string): Promise<string> {
  const dir = await workspaceFrom(name);
  cleanup.push(dir);
  return dir;
}

describe('yantra-test run', () => {
  it('prints one JSON object with the agreed keys and exits 1 when tests fail', async () => {
    const dir = await ws('mixed');
    const io = captureIO(process.env);
    expect(await main(['run', dir, '--coverage', '--changed', 'calc/ops.py:5-9', '--json'], io)).toBe(1);
    const out = io.out().trim();
    expect(out.split('\n')).toHaveLength(1);
    const body = JSON.parse(out) as Record<string, unknown> & { coverage: { percent: number; files: Record<string, unknown>; changed: { total: number } } };
    expect(Object.keys(body).sort()).toEqual(
      ['coverage', 'durationMs', 'environment', 'error', 'errors', 'failed', 'passed', 'skipped', 'tests'].sort(),
    );
    expect(body).toMatchObject({ passed: 3, failed: 2, errors: 1, skipped: 1, error: { kind: 'tests_failed' } });
    expect(body.coverage.files['calc/ops.py']).toBeDefined();
    expect(body.coverage.changed.total).toBe(4);
  });

  it('exits 0 with a human summary when the selected tests pass', async () => {
    const dir = await ws('mixed');
    const io = captureIO(process.env);
    expect(await main(['run', dir, '--tests', 'tests/test_ops.py::test_add_passes,tests/test_ops.py::TestDivide'], io)).toBe(0);
    expect(io.out()).toContain('3 passed, 0 failed');
  });

  it('reports a runner error in JSON with exit 1, and bad usage with exit 2', async () => {
    const dir = await ws('collection-error');
    const io = captureIO(process.env);
    expect(await main(['run', dir, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ runnerError: { kind: 'import_error' }, error: { kind: 'import_error' } });
    const bad = captureIO(process.env);
    expect(await main(['run', dir, '--timeout', '-3', '--json'], bad)).toBe(2);
    const badId = captureIO(process.env);
    expect(await main(['run', dir, '--tests', '--collect-only', '--json'], badId)).toBe(2);
  });
});

describe('yantra-test generate', () => {
  it('generates with a replayed LLM, prints one JSON report, and refuses bad usage with exit 2', async () => {
    const dir = await workspaceFrom('gen-target');
    cleanup.push(dir);
    const replies = path.join(llmFixtureRoot, 'bad-import');
    const io = captureIO(process.env);
    const code = await main(['generate', dir, '--file', 'shop/pricing.py', '--symbol', 'apply_discount', '--provider', `replay:${replies}`, '--max-repairs', '0', '--json'], io);
    expect(code).toBe(0);
    const body = JSON.parse(io.out()) as { kept: number; llmCalls: number; written: boolean; testFile: string; attempts: { problems: string[] }[] };
    expect(body).toMatchObject({ kept: 0, llmCalls: 1, written: false, testFile: 'tests/test_pricing_apply_discount_yantra.py' });
    expect(body.attempts[0]?.problems).toHaveLength(2);

    const noFile = captureIO(process.env);
    expect(await main(['generate', dir, '--json'], noFile)).toBe(2);
    const badProvider = captureIO(process.env);
    expect(await main(['generate', dir, '--file', 'shop/pricing.py', '--provider', 'acme', '--json'], badProvider)).toBe(2);
  });
});

describe('yantra-test bench', () => {
  it('measures bare pytest against the runner and parses a 5,000-test JUnit file', async () => {
    const dir = await ws('mixed');
    const io = captureIO(process.env);
    expect(await main(['bench', dir, '--runs', '1', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as {
      suite: { tests: number };
      barePytestMs: { median: number };
      runnerMs: { median: number };
      overheadPercent: number;
      overheadPercentPaired: number;
      sides: { bare: string; runner: string };
      loadAverage: { start: number; end: number };
      junit5000: { tests: number };
    };
    expect(r.suite.tests).toBe(9);
    expect(r.barePytestMs.median).toBeGreaterThan(0);
    expect(r.runnerMs.median).toBeGreaterThan(0);
    expect(typeof r.overheadPercent).toBe('number');
    // One timed pair: the paired figure is that pair's own ratio.
    expect(r.overheadPercentPaired).toBeCloseTo(((r.runnerMs.median - r.barePytestMs.median) / r.barePytestMs.median) * 100, -1);
    // The output says what each side ran: same interpreter, bare pytest without JUnit or sandbox.
    expect(r.sides.bare).toMatch(/ -m pytest -q -p no:cacheprovider \(/);
    expect(r.sides.runner).toContain('-p yantra_pytest_plugin');
    expect(r.sides.runner).toContain('--junitxml=<run temp dir>/junit.xml (the plugin serves --junitxml');
    expect(r.sides.runner).toContain(r.sides.bare.split(' ')[0]);
    expect(r.loadAverage.start).toBeGreaterThanOrEqual(0);
    expect(r.junit5000.tests).toBe(5000);
  });
});
