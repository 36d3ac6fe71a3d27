import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureIO } from '@yantra/shared/testing';
import { startFakeLlmServer, type FakeLlmServer } from '@yantra/llm-orchestrator/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

/**
 * The main job end to end through the `yantra ask` CLI: the real Anthropic SDK talks to a local
 * server that speaks its wire format (scripted replies from fixtures/e2e), and every gate runs
 * for real: py_compile, the code graph, pytest, semgrep, git.
 */
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const replies = path.resolve(import.meta.dirname, '../fixtures/e2e');
const reply = (name: string) => ({ text: readFileSync(path.join(replies, name), 'utf8'), chunkSize: 64 });

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.invalid' },
  }).trim();
}

let server: FakeLlmServer;
let home: string;
let project: string;

beforeAll(async () => {
  server = await startFakeLlmServer({ script: [] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'yantra-e2e-home-'));
  project = await mkdtemp(path.join(os.tmpdir(), 'yantra-e2e-proj-'));
  await cp(path.join(repoRoot, 'examples/shop'), project, { recursive: true });
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'config', 'user.name', 'Tester');
  git(project, 'config', 'user.email', 'tester@example.invalid');
  git(project, 'add', '-A');
  git(project, 'commit', '-q', '-m', 'chore: import the sample project');
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

interface Final {
  status: string;
  commit?: string;
  files: string[];
  attempts: number;
  gates: Record<string, string>;
  reason?: string;
  dropped?: { path: string; reason: string; tests?: string[] }[];
}

async function ask(request: string): Promise<{ code: number; final: Final; events: { type: string; [k: string]: unknown }[] }> {
  const io = captureIO(
    {
      PATH: process.env['PATH'],
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      ANTHROPIC_API_KEY: 'sk-ant-test-key-not-real',
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
      YANTRA_LLM_PRIMARY: 'anthropic',
      YANTRA_LLM_LOCAL: 'off',
      YANTRA_TOOLS_VENV: path.join(repoRoot, '.venv'),
    },
    project,
  );
  const code = await main(['ask', request, '--dir', project, '--json', '--no-learning'], io);
  const lines = io.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const final = lines.at(-1) as unknown as Final;
  return { code, final, events: lines.slice(0, -1) };
}

const headOf = () => git(project, 'rev-parse', 'HEAD');

describe('yantra ask end to end (fake Anthropic server, real gates)', () => {
  it('commits a clean change with its tests, streaming every stage', async () => {
    server.push(reply('clean-shipping.md'));
    const before = headOf();
    const calls = server.requests.length;
    const { code, final, events } = await ask('calculate shipping cost from weight and distance');
    // Unambiguous: the parse decides the intent and the model is called once, to generate.
    expect(server.requests.length - calls).toBe(1);
    expect(events.find((e) => e.type === 'intent')).toMatchObject({ source: 'parsed', ambiguity: [] });
    expect(final).toMatchObject({ status: 'committed', attempts: 1, gates: { syntax: 'passed', graph: 'passed', tests: 'passed', security: 'passed', browser: 'skipped' } });
    expect(code).toBe(0);
    expect(final.files.sort()).toEqual(['shop/shipping.py', 'tests/test_shipping.py']);
    expect(headOf()).not.toBe(before);
    expect(final.commit).toBe(headOf());
    const message = git(project, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^feat(\([\w-]+\))?: /);
    expect(message).toMatch(/Yantra-Run: /);
    expect(events.some((e) => e.type === 'token')).toBe(true);
    expect(git(project, 'status', '--porcelain')).toBe('');
    // Every metric of the run is kept in .yantra/runs/<runId>.json.
    const report = JSON.parse(await readFile(path.join(project, '.yantra/runs', `${(events[0] as { runId: string }).runId}.json`), 'utf8')) as {
      metrics: Record<string, Record<string, number | null> | number | null>;
    };
    const m = report.metrics as {
      graph: { buildMs: number; queryMs: number; guardMs: number };
      llm: { calls: number; latencyMs: number; inputTokens: number; outputTokens: number; costUsd: number };
      testsMs: number;
      tests: { passed: number; passRate: number; changedLineCoverage: number; coverage: number; pytestMs: number };
      security: { critical: number; high: number; medium: number; low: number; fixed: number };
    };
    expect(m.graph.buildMs).toBeGreaterThan(0);
    expect(m.graph.queryMs).toBeGreaterThanOrEqual(0);
    expect(m.graph.guardMs).toBeGreaterThanOrEqual(0);
    expect(m.llm.calls).toBe(1);
    expect(m.llm.latencyMs).toBeGreaterThan(0);
    expect(m.llm.inputTokens).toBeGreaterThan(0);
    expect(m.llm.outputTokens).toBeGreaterThan(0);
    expect(m.llm.costUsd).toBeGreaterThanOrEqual(0);
    expect(m.testsMs).toBeGreaterThan(0);
    expect(m.tests).toMatchObject({ passed: 3, passRate: 100, changedLineCoverage: 100 });
    expect(m.tests.coverage).toBeGreaterThan(0);
    expect(m.tests.pytestMs).toBeGreaterThan(0);
    expect(m.security).toEqual({ critical: 0, high: 0, medium: 0, low: 0, fixed: 0 });
  });

  it('rejects a rename that breaks a caller, then commits the repaired change', async () => {
    server.push(reply('rename-breaks-caller.md'), reply('add-alias-keeps-caller.md'));
    const { final } = await ask('rename apply_discount to discounted');
    expect(final).toMatchObject({ status: 'committed', attempts: 2 });
    const repairPrompt = server.requests.at(-1)?.prompt ?? '';
    expect(repairPrompt).toMatch(/graph gate failed/);
    expect(repairPrompt).toMatch(/apply_discount/);
    expect(await readFile(path.join(project, 'shop/pricing.py'), 'utf8')).toContain('def apply_discount');
  });

  it('auto-fixes an SQL-injection f-string and commits the parameterized query', async () => {
    server.push(reply('sql-injection.md'));
    const { final } = await ask('add a method that tells whether a SKU is stocked');
    expect(final.status).toBe('committed');
    const code = await readFile(path.join(project, 'shop/inventory.py'), 'utf8');
    expect(code).not.toMatch(/execute\(f"/);
    expect(code).toMatch(/execute\([^)]*\?/);
  });

  it('rejects a change that edits an existing test to pass', async () => {
    server.push(reply('edit-existing-test.md'), reply('edit-existing-test.md'), reply('edit-existing-test.md'));
    const before = headOf();
    const { code, final } = await ask('make discounts round up');
    expect(code).toBe(1);
    expect(final.status).toBe('rejected');
    expect(final.reason).toMatch(/edits existing tests/);
    expect(headOf()).toBe(before);
    expect(git(project, 'status', '--porcelain')).toBe('');
  });

  it('rejects a change whose generated test fails three times, leaving the tree unchanged', async () => {
    server.push(reply('failing-generated-test.md'), reply('failing-generated-test.md'), reply('failing-generated-test.md'));
    const before = headOf();
    const { code, final } = await ask('add shipping cost');
    expect(code).toBe(1);
    expect(final).toMatchObject({ status: 'rejected', attempts: 3, gates: { tests: 'failed' } });
    expect(final.reason).toMatch(/generated test tests\/test_shipping\.py::test_shipping_is_free_for_light_parcels/);
    expect(existsSync(path.join(project, 'shop/shipping.py'))).toBe(false);
    expect(headOf()).toBe(before);
    expect(git(project, 'status', '--porcelain')).toBe('');
  });

  it('commits the model’s useful test and drops the one that covers no changed line', async () => {
    server.push(reply('useful-and-useless-tests.md'));
    const before = headOf();
    const { code, final, events } = await ask('calculate shipping cost from weight and distance');
    expect(code).toBe(0);
    expect(final).toMatchObject({
      status: 'committed',
      attempts: 1,
      gates: { tests: 'passed' },
      dropped: [{ path: 'tests/test_discount_again.py', reason: 'no_new_coverage', tests: ['tests/test_discount_again.py::test_half_price'] }],
    });
    expect(final.files.sort()).toEqual(['shop/shipping.py', 'tests/test_shipping.py']);
    expect(git(project, 'diff', '--name-only', before, 'HEAD').split('\n').sort()).toEqual(['shop/shipping.py', 'tests/test_shipping.py']);
    expect(existsSync(path.join(project, 'tests/test_discount_again.py'))).toBe(false);
    expect(git(project, 'status', '--porcelain')).toBe('');
    const gate = events.find((e) => e.type === 'gate' && (e['result'] as { gate: string }).gate === 'tests') as { result: { summary: string } } | undefined;
    expect(gate?.result.summary).toMatch(/dropped generated tests\/test_discount_again\.py \(covers no changed line/);
    // The run report counts the dropped test.
    const runFile = path.join(project, '.yantra/runs', `${(events[0] as { runId: string }).runId}.json`);
    const report = JSON.parse(await readFile(runFile, 'utf8')) as { metrics: { tests: { droppedGenerated: number; passRate: number } } };
    expect(report.metrics.tests).toMatchObject({ droppedGenerated: 1, passRate: 100 });
  });

  it('asks the model for the intent only when the request is ambiguous', async () => {
    server.push(
      { text: '{"action":"add","target":"shipping cost","constraints":[],"symbols":[],"files":["shop/shipping.py"]}' },
      reply('clean-shipping.md'),
    );
    const calls = server.requests.length;
    const { final, events } = await ask('shipping cost from weight and distance');
    expect(final.status).toBe('committed');
    expect(server.requests.length - calls).toBe(2);
    expect(server.requests[calls]?.prompt).toMatch(/The request is ambiguous: no action verb recognised/);
    expect(events.find((e) => e.type === 'intent')).toMatchObject({
      source: 'llm',
      fallback: { accepted: true },
      intent: { action: 'add', target: 'shipping cost', resolvedFiles: [] },
    });
  });
});
