import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '@yantra/llm-orchestrator/testing';
import { captureIO } from '@yantra/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { llmFixtureRoot } from '../fixture-support/scripted-llm.js';
import { removeAll, workspaceFrom } from '../fixture-support/workspaces.js';

const cleanup: string[] = [];
let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeAll(cleanup);
});

const KEY = 'sk-ant-api03-TESTKEYFORFAKESERVER0000000000';

describe('yantra-test generate through @yantra/llm-orchestrator and the fake Anthropic server', () => {
  it('rejects unresolved imports before running, repairs, and keeps a test, with replies over the Anthropic wire format; the key never shows', async () => {
    const dir = await workspaceFrom('gen-target');
    const configHome = await mkdtemp(path.join(os.tmpdir(), 'yantra-cfg-'));
    cleanup.push(dir, configHome);
    const replies = await Promise.all([1, 2].map((n) => readFile(path.join(llmFixtureRoot, 'bad-import', `reply-${n}.md`), 'utf8')));
    server = await startFakeLlmServer({ script: replies.map((text) => ({ text })) });
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: configHome,
      XDG_CONFIG_HOME: configHome,
      XDG_CACHE_HOME: configHome,
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    };
    const io = captureIO(env, dir);
    const code = await main(['generate', '.', '--file', 'shop/pricing.py', '--symbol', 'apply_discount', '--provider', 'anthropic', '--max-repairs', '1', '--json'], io);
    expect(io.err()).not.toContain(KEY);
    expect(io.out()).not.toContain(KEY);
    expect(code).toBe(0);
    const body = JSON.parse(io.out()) as {
      llmCalls: number; kept: number; keptPassRate: number; written: boolean; testFile: string; tests: { name: string; kept: boolean }[]; attempts: { problems: string[] }[];
    };
    expect(body).toMatchObject({ llmCalls: 2, kept: 1, keptPassRate: 100, written: false, tests: [{ name: 'test_half_price', kept: true }] });
    expect(body.testFile).toBe('tests/test_pricing_apply_discount_yantra.py');
    // The first reply was rejected before running: names and modules that do not exist.
    expect(body.attempts[0]?.problems).toEqual([
      'line 1: module shop.pricing has no apply_coupon',
      'line 2: module shop.inventory does not exist in the project',
    ]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.prompt).toContain('Test plan (cover every item)');
    expect(server.requests[1]?.prompt).toContain('module shop.pricing has no apply_coupon');
  });
});
