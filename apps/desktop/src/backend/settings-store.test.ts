import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore } from './settings-store.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-settings-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const KEY = 'sk-test-0123456789abcdef';

describe('settings store', () => {
  it('reports nothing configured when there is no file', async () => {
    const s = (await createSettingsStore({ configDir: dir }).get())._unsafeUnwrap();
    expect(s).toMatchObject({ primary: 'anthropic', anthropicConfigured: false, openaiConfigured: false, compatibleConfigured: false, localConfigured: false });
  });

  it('saves a key atomically with mode 0600 in the llm-orchestrator layout, and never returns it', async () => {
    const store = createSettingsStore({ configDir: dir });
    const view = (await store.saveKey('anthropic', `  ${KEY}\n`))._unsafeUnwrap();
    expect(view.anthropicConfigured).toBe(true);
    expect(JSON.stringify(view)).not.toContain(KEY);
    const file = path.join(dir, 'llm_config.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({ anthropic: { apiKey: KEY } });
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps settings it does not own, and clears only the key', async () => {
    const file = path.join(dir, 'llm_config.json');
    await fs.writeFile(file, JSON.stringify({ primary: 'openai', openai: { apiKey: 'sk-o', model: 'gpt-4o-mini' }, timeoutMs: 5000 }));
    const store = createSettingsStore({ configDir: dir });
    await store.saveKey('compatible', 'sk-c');
    expect((await store.get())._unsafeUnwrap()).toMatchObject({ primary: 'openai', openaiConfigured: true, compatibleConfigured: true });
    await store.clearKey('openai');
    await store.setPrimary('local');
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({
      primary: 'local',
      openai: { model: 'gpt-4o-mini' },
      compatible: { apiKey: 'sk-c' },
      timeoutMs: 5000,
    });
  });

  it('serialises concurrent writes so none is lost', async () => {
    const store = createSettingsStore({ configDir: dir });
    await Promise.all([store.saveKey('anthropic', 'a'), store.saveKey('openai', 'b'), store.saveKey('compatible', 'c'), store.setPrimary('openai')]);
    expect((await store.get())._unsafeUnwrap()).toMatchObject({ primary: 'openai', anthropicConfigured: true, openaiConfigured: true, compatibleConfigured: true });
  });

  it('replaces a corrupt file rather than trusting it', async () => {
    await fs.writeFile(path.join(dir, 'llm_config.json'), '{not json');
    const store = createSettingsStore({ configDir: dir });
    expect((await store.get())._unsafeUnwrap().anthropicConfigured).toBe(false);
    await store.saveKey('openai', 'k');
    expect(JSON.parse(await fs.readFile(path.join(dir, 'llm_config.json'), 'utf8'))).toEqual({ openai: { apiKey: 'k' } });
  });

  it('counts the local provider as configured when a model file is present', async () => {
    const models = path.join(dir, 'models');
    await fs.mkdir(models);
    await fs.writeFile(path.join(models, 'tiny.gguf'), '');
    expect((await createSettingsStore({ configDir: dir, modelsDir: models }).get())._unsafeUnwrap().localConfigured).toBe(true);
  });

  it('answers a typed error when the folder cannot be written', async () => {
    const blocker = path.join(dir, 'file');
    await fs.writeFile(blocker, '');
    const r = await createSettingsStore({ configDir: path.join(blocker, 'sub') }).saveKey('openai', KEY);
    expect(r.isErr()).toBe(true);
    const e = r._unsafeUnwrapErr();
    expect(e.kind).toBe('settings_failed');
    expect(e.message).not.toContain(KEY);
  });
});
