import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeLlmServer, type FakeLlmServer } from '@yantra/llm-orchestrator/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiApp, type UiApp } from '../src/app.js';
import { createCodegenPorts, type CodegenPorts } from '../src/backend/codegen-ports.js';
import { appDir, ask, fixtures, openBrowser, screenshot } from './helpers.js';

/**
 * Browser mode with the real main job behind it: the codegen pipeline with every gate, the real
 * Anthropic SDK talking to the local wire-format server, a real git repository.
 */
const repoRoot = path.resolve(appDir, '../..');
let server: FakeLlmServer;
let app: UiApp;
let ports: CodegenPorts;
let browser: Browser;
let project: string;
let home: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: project, encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  server = await startFakeLlmServer({ script: [] });
  project = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-real-'));
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-real-home-'));
  await fs.cp(path.join(repoRoot, 'examples/shop'), project, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Tester');
  git('config', 'user.email', 'tester@example.invalid');
  git('add', '-A');
  git('commit', '-q', '-m', 'chore: import');
  const env = {
    PATH: process.env['PATH'],
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    ANTHROPIC_API_KEY: 'sk-ant-ui-test-key-not-real',
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    YANTRA_LLM_PRIMARY: 'anthropic',
    YANTRA_LLM_LOCAL: 'off',
    YANTRA_TOOLS_VENV: path.join(repoRoot, '.venv'),
  };
  ports = createCodegenPorts({ env, dir: () => project, repoRoot, chroma: 'off' });
  app = (await startUiApp({ dir: project, env, pipeline: ports.pipeline, usage: ports.usage, project: ports.project, mistakes: ports.mistakes }))._unsafeUnwrap();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ports?.close();
  await server?.close();
  await fs.rm(project, { recursive: true, force: true });
  await fs.rm(home, { recursive: true, force: true });
});

describe('browser mode with the real pipeline', () => {
  it('runs a request through every gate and shows the commit', async () => {
    server.push({ text: await fs.readFile(path.join(fixtures, 'e2e/clean-shipping.md'), 'utf8'), chunkSize: 32 });
    const before = git('rev-parse', 'HEAD');
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(app.server.url);
    await page.getByRole('heading', { name: 'Yantra' }).waitFor();
    await ask(page, 'calculate shipping cost from weight and distance');
    const run = page.locator('article[data-run]').last();
    await run.locator('[data-outcome="committed"]').waitFor({ timeout: 240_000 });
    for (const stage of ['intent', 'context', 'generate', 'syntax', 'graph', 'security', 'tests', 'commit']) {
      await expect(run.locator(`li[data-stage="${stage}"]`).getAttribute('data-status'), stage).resolves.toBe('passed');
    }
    const head = git('rev-parse', 'HEAD');
    expect(head).not.toBe(before);
    await expect(run.locator('[data-outcome]').textContent()).resolves.toContain(head.slice(0, 10));
    expect(git('show', '--stat', '--format=', 'HEAD')).toContain('shop/shipping.py');
    const code = page.getByRole('region', { name: 'Code' });
    await expect(code.getByRole('tab').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('shop/shipping.py')]));
    // The key configured for the run never reaches the page.
    expect(await page.content()).not.toContain('sk-ant-ui-test-key-not-real');
    await screenshot(page, 'real-pipeline-committed');
    await page.close();
  }, 300_000);
});
