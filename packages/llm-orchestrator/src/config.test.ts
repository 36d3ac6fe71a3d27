import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLlmConfig, providerChain, sanitizeConfig } from './config.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function userDirs(file?: unknown) {
  const root = mkdtempSync(path.join(tmpdir(), 'llm-config-'));
  dirs.push(root);
  const d = { config: path.join(root, 'config', 'yantra'), cache: path.join(root, 'cache', 'yantra') };
  if (file !== undefined) {
    mkdirSync(d.config, { recursive: true });
    writeFileSync(path.join(d.config, 'llm_config.json'), typeof file === 'string' ? file : JSON.stringify(file));
  }
  return d;
}

describe('loadLlmConfig', () => {
  it('defaults to the local model when no key is configured', async () => {
    const dirs = userDirs();
    const c = (await loadLlmConfig({}, dirs))._unsafeUnwrap();
    expect(c.primary).toBe('local');
    expect(providerChain(c)).toEqual(['local']);
    expect(c.local.modelPath).toBe(path.join(dirs.cache, 'models', 'gemma-3-270m-q4_k_m.gguf'));
    expect(c).toMatchObject({ timeoutMs: 60_000, maxRetries: 3, breaker: { threshold: 3, cooldownMs: 60_000 }, localFallback: true });
  });

  it('applies every documented env override over the file', async () => {
    const dirs = userDirs({ primary: 'openai', timeoutMs: 1000, breaker: { threshold: 9 }, openai: { apiKey: 'file-key' } });
    const env = {
      ANTHROPIC_API_KEY: 'ak',
      OPENAI_API_KEY: 'ok',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1/a',
      OPENAI_BASE_URL: 'http://127.0.0.1:2/v1',
      YANTRA_LLM_PRIMARY: 'anthropic',
      YANTRA_LLM_SECONDARY: 'openai',
      YANTRA_LLM_LOCAL: 'off',
      YANTRA_LLM_TIMEOUT_MS: '1234',
      YANTRA_LLM_MAX_RETRIES: '1',
      YANTRA_LLM_BREAKER_THRESHOLD: '5',
      YANTRA_LLM_BREAKER_COOLDOWN_MS: '7000',
    };
    const c = (await loadLlmConfig(env, dirs))._unsafeUnwrap();
    expect(c).toMatchObject({
      primary: 'anthropic',
      secondary: 'openai',
      localFallback: false,
      timeoutMs: 1234,
      maxRetries: 1,
      breaker: { threshold: 5, cooldownMs: 7000 },
      anthropic: { baseUrl: 'http://127.0.0.1:1/a' },
      openai: { baseUrl: 'http://127.0.0.1:2/v1' },
    });
    expect(c.anthropic.apiKey?.reveal()).toBe('ak');
    expect(c.openai.apiKey?.reveal()).toBe('ok');
    expect(providerChain(c)).toEqual(['anthropic', 'openai']);
  });

  it('puts the local model last when enabled, and drops providers without credentials', async () => {
    const c = (await loadLlmConfig({ OPENAI_API_KEY: 'k', YANTRA_LLM_PRIMARY: 'anthropic', YANTRA_LLM_SECONDARY: 'openai' }, userDirs()))._unsafeUnwrap();
    expect(providerChain(c)).toEqual(['openai', 'local']);
    const compat = (
      await loadLlmConfig({}, userDirs({ primary: 'compatible', compatible: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5-coder' } }))
    )._unsafeUnwrap();
    expect(providerChain(compat)).toEqual(['compatible', 'local']);
  });

  it('rejects bad env values and bad files with clear, key-free messages', async () => {
    const e1 = (await loadLlmConfig({ YANTRA_LLM_PRIMARY: 'bard', YANTRA_LLM_TIMEOUT_MS: 'soon', YANTRA_LLM_LOCAL: 'maybe' }, userDirs()))._unsafeUnwrapErr();
    expect(e1.kind).toBe('config_invalid');
    expect(e1.kind === 'config_invalid' && e1.issues).toEqual([
      'YANTRA_LLM_LOCAL: expected "on" or "off", got "maybe"',
      'YANTRA_LLM_PRIMARY: expected one of anthropic|openai|compatible|local, got "bard"',
      'YANTRA_LLM_TIMEOUT_MS: expected a non-negative integer, got "soon"',
    ]);
    const e2 = (await loadLlmConfig({}, userDirs('{ not json')))._unsafeUnwrapErr();
    expect(e2).toMatchObject({ kind: 'config_invalid', issues: ['not JSON'] });
    const e3 = (await loadLlmConfig({}, userDirs({ anthropic: { apiKey: 42, url: 'x' } })))._unsafeUnwrapErr();
    expect(e3.kind === 'config_invalid' && e3.issues).toEqual(['anthropic.url: unknown setting', 'anthropic.apiKey: expected a non-empty string']);
  });
});

describe('keys never leak from the config', () => {
  it('the sanitized view has booleans, no keys and no credentials in URLs', async () => {
    const c = (
      await loadLlmConfig(
        { ANTHROPIC_API_KEY: 'sk-ant-LEAK', OPENAI_BASE_URL: 'https://user:pass-LEAK@proxy.example/v1?key=LEAK' },
        userDirs({ openai: { apiKey: 'sk-LEAK' } }),
      )
    )._unsafeUnwrap();
    const view = sanitizeConfig(c);
    expect(view).toMatchObject({ anthropicConfigured: true, openaiConfigured: true, compatibleConfigured: false });
    expect(view.baseUrls.openai).toBe('https://proxy.example/v1');
    expect(JSON.stringify(view)).not.toContain('LEAK');
    // The resolved config itself cannot be printed with its keys either.
    expect(JSON.stringify(c)).not.toContain('sk-');
    expect(inspect(c, { depth: 5 })).not.toContain('sk-');
    expect(`${String(c.anthropic.apiKey)}`).toBe('[redacted]');
  });
});
