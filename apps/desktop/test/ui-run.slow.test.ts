import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_ORDER } from '../src/renderer/state/run-view.js';
import { ask, openBrowser, screenshot, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let browser: Browser;
const cspViolations: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  // The app's pages run under a strict CSP; nothing they need may be blocked by it.
  expect(cspViolations).toEqual([]);
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => {
    throw e;
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(t.url);
  await page.getByRole('heading', { name: 'Yantra' }).waitFor();
  return page;
}

/** Samples, every 10 ms in the page, the streamed text length and each stage's status. */
async function startSampling(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: { len: number; stages: Record<string, string> }[] };
    w.__samples = [];
    setInterval(() => {
      const articles = document.querySelectorAll('article[data-run]');
      const last = articles[articles.length - 1];
      if (!last) return;
      const stages: Record<string, string> = {};
      for (const li of last.querySelectorAll('li[data-stage]')) stages[li.getAttribute('data-stage') ?? ''] = li.getAttribute('data-status') ?? '';
      w.__samples.push({ len: last.querySelector('[data-testid="streamed-text"]')?.textContent?.length ?? 0, stages });
    }, 10);
  });
}

/** Monaco renders spaces as no-break spaces; compare with plain ones. */
const monacoText = async (l: Locator) => ((await l.textContent()) ?? '').replace(/\u00a0/g, ' ');

const samples = (page: Page) => page.evaluate(() => (window as unknown as { __samples: { len: number; stages: Record<string, string> }[] }).__samples);

describe('browser mode in real Chromium', () => {
  it('streams a request, turns every stage green, shows the diff in Monaco and the preview, and commits', async () => {
    const page = await newPage();
    await page.locator('.monaco-editor').first().waitFor();
    await startSampling(page);
    await ask(page, 'Add a todos endpoint with a page');

    const run = page.locator('article[data-run]').last();
    await run.locator('[data-outcome="committed"]').waitFor({ timeout: 30_000 });

    // Streaming: the text grew in many steps, and stages were seen running before they passed.
    const seen = await samples(page);
    const lengths = [...new Set(seen.map((s) => s.len))];
    expect(lengths.length).toBeGreaterThan(5);
    // Rendered length can dip by a character when a code fence closes; it ends at its longest.
    expect(lengths[lengths.length - 1]).toBe(Math.max(...lengths));
    // Every stage turned green while the page watched (it was not green in the first sample), and
    // generation was seen running while its tokens streamed.
    for (const stage of STAGE_ORDER) {
      const statuses = seen.map((x) => x.stages[stage]).filter(Boolean);
      expect(statuses[0], stage).not.toBe('passed');
      expect(statuses[statuses.length - 1], stage).toBe('passed');
    }
    const generate = seen.map((x) => x.stages['generate']);
    expect(generate.indexOf('running')).toBeGreaterThanOrEqual(0);
    expect(generate.indexOf('running')).toBeLessThan(generate.lastIndexOf('passed'));
    await expect(run.getByTestId('streamed-text').textContent()).resolves.toContain('tests/test_todos.py: checks the JSON');
    await expect(run.locator('pre[data-lang="python"]').textContent()).resolves.toContain('def list_todos():');

    // Every stage green.
    for (const stage of STAGE_ORDER) {
      const li = run.locator(`li[data-stage="${stage}"]`);
      await expect(li.getAttribute('data-status')).resolves.toBe('passed');
      const color = await li.locator('summary span').first().evaluate((el) => getComputedStyle(el).color);
      // Tailwind's emerald-400, in whatever colour syntax the browser reports.
      expect(color).toMatch(/oklch\(0\.765 0\.177 163|rgb\(52, 211, 153\)/);
    }
    await expect(run.locator('[data-outcome]').textContent()).resolves.toContain('commit 4f2a9c1e8b');

    // Code: tabs for the three files, Python highlighted read-only, then the diff.
    const code = page.getByRole('region', { name: 'Code' });
    await expect(code.getByRole('tab').allTextContents()).resolves.toEqual(['app.py', 'tests/test_todos.pynew', 'static/todos.htmlnew']);
    await code.locator('[data-ready="app.py"]').waitFor();
    expect(await monacoText(code.locator('.view-lines'))).toContain('def list_todos():');
    // Python highlighting: plain text would give every token the same class.
    const classes = await code.locator('.view-line span span').evaluateAll((els) => [...new Set(els.map((e) => e.className))]);
    expect(classes.length).toBeGreaterThanOrEqual(3);
    const keywordClass = await code.locator('.view-line span span', { hasText: /^def$/ }).first().getAttribute('class');
    const stringClass = await code.locator('.view-line span span', { hasText: /^"\/health"$/ }).first().getAttribute('class');
    expect(keywordClass).not.toBe(stringClass);
    await code.locator('.view-lines').first().click();
    await page.keyboard.type('zzz');
    expect(await monacoText(code.locator('.view-lines'))).not.toContain('zzz');
    await code.getByLabel('Diff').check();
    const diff = code.locator('.monaco-diff-editor');
    await diff.waitFor();
    expect(await monacoText(diff.locator('.editor.original .view-lines'))).not.toContain('list_todos');
    expect(await monacoText(diff.locator('.editor.modified .view-lines'))).toContain('list_todos');
    // The diff is computed in Monaco's worker, which the app's CSP must allow.
    await diff.locator('.line-insert').first().waitFor();

    // Preview: the page of the change in the frame, console with the error highlighted, screenshot.
    const preview = page.getByRole('region', { name: 'Preview' });
    const frame = page.frameLocator('iframe[title="Preview of the generated page"]');
    await expect(frame.locator('h1').textContent()).resolves.toBe('Todos');
    const errorLine = preview.locator('[aria-label="Console output"] [data-level="error"]').first();
    await expect(errorLine.textContent()).resolves.toContain('favicon.ico not found');
    expect(await errorLine.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    // The page's own console, relayed live from the sandboxed frame, which cannot reach the app.
    await preview.locator('[data-source="live"][data-level="error"]', { hasText: 'favicon.ico not found' }).waitFor();
    await expect(preview.locator('[data-source="live"][data-level="log"]').first().textContent()).resolves.toContain('todos page ready');
    const reach = await page
      .frame({ url: /preview\// })
      ?.evaluate(() => {
        try {
          return window.parent.location.href;
        } catch {
          return 'blocked';
        }
      });
    expect(reach).toBe('blocked');
    const shot = preview.getByAltText('Screenshot from the browser gate');
    await expect(shot.evaluate((img) => (img as HTMLImageElement).naturalWidth)).resolves.toBe(160);
    await preview.getByRole('button', { name: 'Refresh preview' }).click();
    await expect(frame.locator('h1').textContent()).resolves.toBe('Todos');

    await screenshot(page, 'run-committed');
    await page.close();
  });

  it('shows a request rejected by the graph guard with the breakage sites', async () => {
    const page = await newPage();
    await ask(page, 'Rename load_user to fetch_user');
    const run = page.locator('article[data-run]').last();
    await run.locator('[data-outcome="rejected"]').waitFor({ timeout: 30_000 });
    const graph = run.locator('li[data-stage="graph"]');
    await expect(graph.getAttribute('data-status')).resolves.toBe('failed');
    await expect(graph.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(true);
    await expect(graph.locator('[data-detail="breakage"]').textContent()).resolves.toContain('users.load_user');
    await expect(graph.locator('[data-site]').allTextContents()).resolves.toEqual([
      "api/routes.py:14  user = load_user(request.args['id'])",
      'jobs/nightly.py:31  load_user(uid)',
    ]);
    for (const stage of ['tests', 'security', 'browser', 'commit']) {
      await expect(run.locator(`li[data-stage="${stage}"]`).getAttribute('data-status')).resolves.toBe('pending');
    }
    await expect(run.locator('[data-outcome]').textContent()).resolves.toContain('2 broken call sites');
    await screenshot(page, 'run-rejected');
    await page.close();
  });

  it('loses no event when the WebSocket drops and reconnects mid-run', async () => {
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    t.setSpeed(4);
    try {
      await ask(page, 'Add a todos endpoint again');
      const run = page.locator('article[data-run]').last();
      // Drop while tokens are streaming.
      await page.waitForFunction(() => {
        const runs = document.querySelectorAll('article[data-run]');
        const text = runs[runs.length - 1]?.querySelector('[data-testid="streamed-text"]')?.textContent ?? '';
        return text.length > 20;
      });
      t.app.server.dropConnections();
      await page.locator('[data-testid="connection"][data-status="closed"], [data-testid="connection"][data-status="connecting"]').waitFor({ timeout: 5_000 });
      await page.locator('[data-testid="connection"][data-status="open"]').waitFor({ timeout: 10_000 });
      await run.locator('[data-outcome="committed"]').waitFor({ timeout: 60_000 });
      expect(sockets.length).toBeGreaterThanOrEqual(1);

      const recorded = t.runs.find((r) => r.match === 'todos');
      const runId = await run.getAttribute('data-run');
      // Every event of the run reached the page exactly once, in order.
      await expect(run.getAttribute('data-events')).resolves.toBe(String(recorded?.events.length));
      const lastSeq = await page.getByTestId('connection').getAttribute('data-last-seq');
      expect(Number(lastSeq)).toBe(t.app.backend.lastSeq);
      const expectedText = (recorded?.events ?? []).filter((e) => e.event.type === 'token').map((e) => e.event['text'] as string).join('');
      const shown = await page.evaluate(async (id) => {
        const el = document.querySelector(`article[data-run="${id}"] [data-testid="streamed-text"]`);
        return el?.textContent ?? '';
      }, runId);
      // The rendered Markdown drops fences and markers; every word of the stream is there, in order.
      const words = expectedText.split('\n').filter((l) => !l.startsWith('```')).join('\n').replace(/[`*#-]/g, ' ').split(/\s+/).filter(Boolean);
      let at = 0;
      for (const w of words) {
        const i = shown.indexOf(w, at);
        expect(i, `word "${w}" after position ${at}`).toBeGreaterThanOrEqual(0);
        at = i + w.length;
      }
      for (const stage of STAGE_ORDER) {
        await expect(run.locator(`li[data-stage="${stage}"]`).getAttribute('data-status')).resolves.toBe('passed');
      }
    } finally {
      t.setSpeed(1);
      await page.close();
    }
  });

  it('remembers resized panels across reloads', async () => {
    const page = await newPage();
    const width = async (name: string) => (await page.getByRole('region', { name }).boundingBox())?.width ?? 0;
    const total = (await page.locator('section[data-panel]').evaluateAll((els) => els.reduce((a, e) => a + e.getBoundingClientRect().width, 0))) as number;
    expect((await width('Chat')) / total).toBeCloseTo(0.6, 1);
    const splitter = page.locator('[data-splitter="0"]');
    const box = await splitter.boundingBox();
    if (!box) throw new Error('no splitter');
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x - 300, box.y + 200, { steps: 10 });
    await page.mouse.up();
    const chatAfterDrag = await width('Chat');
    const codeAfterDrag = await width('Code');
    expect(chatAfterDrag / total).toBeLessThan(0.5);
    await page.reload();
    await page.getByRole('heading', { name: 'Yantra' }).waitFor();
    expect(Math.abs((await width('Chat')) - chatAfterDrag)).toBeLessThan(2);
    expect(Math.abs((await width('Code')) - codeAfterDrag)).toBeLessThan(2);
    // Keyboard resizing works too.
    await page.locator('[data-splitter="1"]').focus();
    const before = await width('Code');
    await page.keyboard.press('ArrowRight');
    expect(await width('Code')).toBeGreaterThan(before);
    // Panel shortcuts: Alt+1 the chat input, Alt+2 and Alt+3 the Code and Preview landmarks.
    await page.keyboard.press('Alt+1');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('request-input');
    await page.keyboard.press('Alt+2');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Code');
    await page.keyboard.press('Alt+3');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Preview');
    await screenshot(page, 'panels-resized');
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });
});
