import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface Frame {
  readonly dir: 'sent' | 'received';
  readonly text: string;
}

async function open(): Promise<{ page: Page; frames: Frame[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const frames: Frame[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push({ dir: 'sent', text: String(f.payload) }));
    ws.on('framereceived', (f) => frames.push({ dir: 'received', text: String(f.payload) }));
  });
  await page.goto(t.url);
  await page.getByRole('heading', { name: 'Yantra' }).waitFor();
  return { page, frames };
}

const KEY = 'sk-ant-api03-TESTKEY-4f1c9e2d7b8a6c5e3d2f1a0b9c8d7e6f';

describe('settings and mistakes in real Chromium', () => {
  it('saves a key through the backend without it ever reaching the page or a received frame', async () => {
    const { page, frames } = await open();
    await page.keyboard.press('Control+,');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await expect(dialog.getByTestId('status-anthropic').textContent()).resolves.toBe('not configured');

    const input = dialog.getByLabel('Claude API key');
    await expect(input.getAttribute('type')).resolves.toBe('password');
    await input.fill(KEY);
    await dialog.locator('[data-provider="anthropic"]').getByRole('button', { name: 'Save' }).click();
    await dialog.locator('[data-testid="status-anthropic"]', { hasText: /^configured$/ }).waitFor();
    await expect(input.inputValue()).resolves.toBe('');

    // On disk, in the llm-orchestrator format, mode 0600.
    const file = path.join(t.configDir, 'llm_config.json');
    const stat = await fs.stat(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ anthropic: { apiKey: KEY } });

    // Switch provider, reload, reopen: still configured, and the key is nowhere in the page.
    await dialog.getByLabel('OpenAI', { exact: true }).check();
    await expect.poll(async () => JSON.parse(await fs.readFile(file, 'utf8')).primary).toBe('openai');
    await screenshot(page, 'settings');
    await page.reload();
    await page.getByRole('heading', { name: 'Yantra' }).waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).locator('[data-testid="status-anthropic"]', { hasText: /^configured$/ }).waitFor();
    await expect(page.getByRole('dialog', { name: 'Settings' }).getByLabel('OpenAI', { exact: true }).isChecked()).resolves.toBe(true);
    expect(await page.content()).not.toContain(KEY);
    expect(await page.evaluate(() => document.documentElement.innerText + JSON.stringify(localStorage))).not.toContain(KEY);

    // The one frame that carries the key is the save request itself; nothing comes back with it.
    expect(frames.filter((f) => f.dir === 'received').length).toBeGreaterThan(3);
    expect(frames.filter((f) => f.dir === 'received' && f.text.includes(KEY))).toEqual([]);
    expect(frames.filter((f) => f.text.includes(KEY)).map((f) => `${f.dir}:${(JSON.parse(f.text) as { type: string }).type}`)).toEqual(['sent:settings.saveKey']);
    expect(frames.some((f) => f.dir === 'received' && f.text.includes('"anthropicConfigured":true'))).toBe(true);

    // Clearing removes it from the file and the status.
    const dlg = page.getByRole('dialog', { name: 'Settings' });
    await dlg.locator('[data-provider="anthropic"]').getByRole('button', { name: 'Clear' }).click();
    await dlg.locator('[data-testid="status-anthropic"]', { hasText: 'not configured' }).waitFor();
    expect(await fs.readFile(file, 'utf8')).not.toContain(KEY);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await page.close();
  });

  it('lists, searches, archives and exports recorded mistake patterns', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Mistakes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mistakes' });
    const items = dialog.getByRole('list', { name: 'Mistake patterns' }).locator('li[data-pattern]');
    await items.first().waitFor();
    await expect(items.count()).resolves.toBe(3);
    await expect(dialog.locator('li[data-pattern="m2"]').textContent()).resolves.toContain('Renamed a function without updating its call sites');
    await screenshot(page, 'mistakes');

    await dialog.getByLabel('Category').selectOption('security');
    await expect.poll(() => items.count()).toBe(1);
    await dialog.getByLabel('Category').selectOption('');
    await dialog.getByLabel('Similar to').fill('sql query built with string formatting');
    await dialog.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => items.first().getAttribute('data-pattern')).toBe('m3');
    await dialog.getByLabel('Similar to').fill('');
    await dialog.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => items.count()).toBe(3);

    await dialog.getByRole('button', { name: 'Archive Called json.loads on a file object instead of json.load' }).click();
    await expect.poll(() => items.count()).toBe(2);
    await dialog.getByLabel('Archived too').check();
    await expect.poll(() => items.count()).toBe(3);

    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await fs.readFile(file, 'utf8')) as { patterns: { id: string; archived: boolean }[] };
    expect(exported.patterns.map((p) => [p.id, p.archived])).toEqual([
      ['m1', true],
      ['m2', false],
      ['m3', false],
    ]);
    await page.close();
  });

  it('opens, initialises and describes the project', async () => {
    const { page } = await open();
    const stats = page.getByTestId('graph-stats');
    await expect(stats.textContent()).resolves.toContain('2 files · 2 functions · 1 classes');
    await page.getByRole('button', { name: 'Init Yantra' }).click();
    await page.getByText('initialised').waitFor();
    await expect(fs.stat(path.join(t.project, '.yantra')).then((s) => s.isDirectory())).resolves.toBe(true);
    await page.getByRole('button', { name: t.project }).click();
    await page.getByLabel('Project folder').fill(path.join(t.project, 'missing'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'cannot open' }).waitFor();
    await page.close();
  });
});
