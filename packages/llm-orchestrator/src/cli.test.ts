import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeStep, type FakeRequest } from './testing.js';

const KEY = 'sk-ant-CLISECRET-999';
let servers: FakeLlmServer[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  servers = [];
  dirs = [];
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'llm-cli-'));
  dirs.push(d);
  return d;
}

async function setup(script: FakeStep[] | ((r: FakeRequest) => FakeStep), extra: Record<string, string> = {}) {
  const server = await startFakeLlmServer({ script });
  servers.push(server);
  const home = tmp();
  const env = {
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    ANTHROPIC_API_KEY: KEY,
    OPENAI_API_KEY: 'sk-openai-CLISECRET-1',
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    OPENAI_BASE_URL: server.openaiBaseUrl,
    YANTRA_LLM_SECONDARY: 'openai',
    YANTRA_LLM_LOCAL: 'off',
    ...extra,
  };
  return { server, env, home };
}

describe('yantra-llm CLI contract', () => {
  it('prints help with its name and exits 0', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('yantra-llm');
  });

  it('prints one JSON object for --version --json', async () => {
    const io = captureIO();
    expect(await main(['--version', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as { name: string; version: string };
    expect(parsed.name).toBe('yantra-llm');
    expect(parsed.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a JSON error for an unknown command', async () => {
    const io = captureIO();
    expect(await main(['no-such-command', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
  });
});

describe('complete', () => {
  it('prints one JSON object with text, usage, cost, cache flag and attempts', async () => {
    const { env, home } = await setup([{ fault: 'overloaded' }, { text: 'print(1)', usage: { inputTokens: 100, outputTokens: 10 } }]);
    const io = captureIO(env, home);
    expect(await main(['complete', '--prompt', 'write code', '--system', 'be terse', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as Record<string, unknown>;
    expect(out).toMatchObject({ text: 'print(1)', provider: 'anthropic', model: 'claude-sonnet-4-6', cached: false, usage: { inputTokens: 100, outputTokens: 10 } });
    expect(out['costUsd']).toBeCloseTo((100 * 3 + 10 * 15) / 1e6, 12);
    expect(out['attempts']).toEqual([
      { provider: 'anthropic', ok: false, errorKind: 'overloaded', ms: expect.any(Number) },
      { provider: 'anthropic', ok: true, errorKind: null, ms: expect.any(Number) },
    ]);
    expect(io.err()).toContain('anthropic: overloaded, retrying in');
    // Second identical request is served from <cwd>/.yantra/cache.db.
    const again = captureIO(env, home);
    expect(await main(['complete', '--prompt', 'write code', '--system', 'be terse', '--json'], again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ text: 'print(1)', cached: true, costUsd: 0 });
  });

  it('streams text to stdout without --json', async () => {
    const { env, home } = await setup([{ text: 'streamed answer', chunkSize: 3 }]);
    const io = captureIO(env, home);
    expect(await main(['complete', '--prompt', 'hi', '--stream', '--provider', 'anthropic'], io)).toBe(0);
    expect(io.out().trim()).toBe('streamed answer');
  });

  it('exits 1 with the attempts when every provider fails, and never prints keys', async () => {
    const { env, home } = await setup((r) => (r.api === 'anthropic' ? { fault: 'auth' } : { fault: 'context_too_long' }));
    const io = captureIO(env, home);
    expect(await main(['complete', '--prompt', 'hi', '--json'], io)).toBe(1);
    const out = JSON.parse(io.out()) as { error: { kind: string }; attempts: { provider: string; errorKind: string }[] };
    expect(out.error.kind).toBe('all_providers_failed');
    expect(out.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
      ['anthropic', 'auth'],
      ['openai', 'context_too_long'],
    ]);
    expect(io.out() + io.err()).not.toContain('CLISECRET');
  });

  it('exits 2 on bad usage', async () => {
    const { env, home } = await setup([]);
    expect(await main(['complete', '--json'], captureIO(env, home))).toBe(2);
    expect(await main(['complete', '--prompt', 'x', '--provider', 'bard', '--json'], captureIO(env, home))).toBe(2);
  });
});

describe('status and config', () => {
  it('status --json is sanitized', async () => {
    const { env, home } = await setup([]);
    const io = captureIO(env, home);
    expect(await main(['status', '--json'], io)).toBe(0);
    const s = JSON.parse(io.out()) as { config: Record<string, unknown>; chain: string[]; breakers: { provider: string; state: string }[] };
    expect(s.config).toMatchObject({ anthropicConfigured: true, openaiConfigured: true, compatibleConfigured: false, primary: 'anthropic' });
    expect(s.chain).toEqual(['anthropic', 'openai']);
    expect(s.breakers.map((b) => [b.provider, b.state])).toEqual([
      ['anthropic', 'closed'],
      ['openai', 'closed'],
    ]);
    expect(io.out()).not.toContain('CLISECRET');
    expect(s).toMatchObject({ usage: null });
    expect(existsSync(path.join(home, '.yantra'))).toBe(false);
  });

  it('config set writes llm_config.json atomically with mode 0600 and validates', async () => {
    const { env, home } = await setup([]);
    const file = path.join(env.XDG_CONFIG_HOME, 'yantra', 'llm_config.json');
    const set = captureIO(env, home);
    expect(await main(['config', 'set', 'openai.apiKey', 'sk-from-config-FILESECRET', '--json'], set)).toBe(0);
    expect(set.out()).not.toContain('FILESECRET');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await main(['config', 'set', 'breaker.cooldownMs', '5000', '--json'], captureIO(env, home))).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ openai: { apiKey: 'sk-from-config-FILESECRET' }, breaker: { cooldownMs: 5000 } });

    const bad = captureIO(env, home);
    expect(await main(['config', 'set', 'primary', 'bard', '--json'], bad)).toBe(1);
    expect(JSON.parse(bad.out())).toMatchObject({ error: { kind: 'config_invalid' } });
    expect(await main(['config', 'set', 'nonsense', '1', '--json'], captureIO(env, home))).toBe(2);

    const noEnvKey = { ...env, OPENAI_API_KEY: '' };
    const show = captureIO(noEnvKey, home);
    expect(await main(['config', 'show', '--json'], show)).toBe(0);
    expect(JSON.parse(show.out())).toMatchObject({ openaiConfigured: true, breaker: { cooldownMs: 5000, threshold: 3 } });
    expect(show.out()).not.toContain('FILESECRET');
  });

  it('reports an invalid config file with a clear error and exit 1', async () => {
    const { env, home } = await setup([]);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'yantra'), { recursive: true });
    writeFileSync(path.join(env.XDG_CONFIG_HOME, 'yantra', 'llm_config.json'), JSON.stringify({ primary: 'anthropic', timeoutMs: 'soon', colour: 'red' }));
    const io = captureIO(env, home);
    expect(await main(['status', '--json'], io)).toBe(1);
    const out = JSON.parse(io.out()) as { error: { kind: string; message: string }; issues: string[] };
    expect(out.error.kind).toBe('config_invalid');
    expect(out.issues).toEqual(expect.arrayContaining(['colour: unknown setting', 'timeoutMs: expected a non-negative integer']));
  });
});

describe('bench', () => {
  it('sends exactly N requests and reports providers, attempts and breaker transitions', async () => {
    const { server, env, home } = await setup((r) => (r.api === 'anthropic' ? { fault: 'server_error' } : { text: 'ok' }), {
      YANTRA_LLM_MAX_RETRIES: '1',
      YANTRA_LLM_BREAKER_THRESHOLD: '2',
    });
    const io = captureIO(env, home);
    expect(await main(['bench', '--requests', '3', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as {
      requests: { provider: string; attempts: { provider: string; errorKind?: string; skipped?: boolean }[] }[];
      transitions: { provider: string; from: string; to: string }[];
    };
    expect(r.requests).toHaveLength(3);
    expect(r.requests.map((q) => q.provider)).toEqual(['openai', 'openai', 'openai']);
    expect(r.requests[0]?.attempts.map((a) => a.errorKind ?? 'ok')).toEqual(['server', 'server', 'ok']);
    expect(r.requests[1]?.attempts[0]).toMatchObject({ provider: 'anthropic', skipped: true });
    expect(r.transitions).toEqual([expect.objectContaining({ provider: 'anthropic', from: 'closed', to: 'open' })]);
    expect(server.requests.filter((q) => q.api === 'anthropic')).toHaveLength(2);
    expect(server.requests.filter((q) => q.api === 'openai')).toHaveLength(3);
  });

  it('bench --failover fails over within one backoff cycle and sends nothing to an Open primary', async () => {
    const io = captureIO({}, tmp());
    expect(await main(['bench', '--failover', '--requests', '4', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as { requests: { provider: string }[]; primaryRequests: number; primaryRequestsWhileOpen: number; firstFailoverMs: number };
    expect(r.requests.map((q) => q.provider)).toEqual(['openai', 'openai', 'openai', 'openai']);
    expect(r.primaryRequests).toBe(3);
    expect(r.primaryRequestsWhileOpen).toBe(0);
    expect(r.firstFailoverMs).toBeLessThan(5000);
  });

  it('bench --overhead reports p50 and p99 against its own endpoint', async () => {
    const io = captureIO({}, tmp());
    expect(await main(['bench', '--overhead', '--iterations', '30', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as { iterations: number; overheadMs: { p50: number; p99: number }; bareMs: { p50: number }; pureOverheadMs: { p50: number; p99: number } };
    expect(r.iterations).toBe(30);
    expect(r.pureOverheadMs.p50).toBeGreaterThan(0);
    expect(r.pureOverheadMs.p99).toBeGreaterThanOrEqual(r.pureOverheadMs.p50);
    expect(r.bareMs.p50).toBeGreaterThan(0);
    expect(r.overheadMs.p99).toBeGreaterThanOrEqual(r.overheadMs.p50);
  });
});
