import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startUiApp, type UiApp } from '../src/app.js';
import { launchChromium } from '../src/bench/chromium.js';
import type { Pipeline } from '../src/backend/ports.js';
import { createReplayPipeline, loadRecordedRuns, type RecordedRun } from '../src/backend/replay-pipeline.js';
import type { MistakePattern } from '../src/protocol/messages.js';

export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = path.join(appDir, 'fixtures');
export const screensDir = path.join(appDir, 'test-output', 'screens');
export const CHROMIUM = process.env['YANTRA_CHROMIUM'] ?? '/usr/bin/chromium';

export interface TestApp {
  readonly app: UiApp;
  readonly url: string;
  readonly project: string;
  readonly configDir: string;
  readonly runs: RecordedRun[];
  /** Multiplies the recorded pauses of the next runs. */
  setSpeed(speed: number): void;
  close(): Promise<void>;
}

/** Starts browser mode on a copy of the fixture project, with recorded runs and a private config dir. */
export async function startTestApp(): Promise<TestApp> {
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-project-'));
  await fs.cp(path.join(fixtures, 'project'), project, { recursive: true });
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-home-'));
  const runs = (await loadRecordedRuns(path.join(fixtures, 'runs')))._unsafeUnwrap();
  const seed = JSON.parse(await fs.readFile(path.join(fixtures, 'mistakes.json'), 'utf8')) as { patterns: MistakePattern[] };
  let speed = 1;
  const pipeline: Pipeline = { run: (req, opts) => createReplayPipeline({ runs, speed }).run(req, opts) };
  const app = (
    await startUiApp({
      dir: project,
      env: { XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
      pipeline,
      seedMistakes: seed.patterns,
    })
  )._unsafeUnwrap();
  return {
    app,
    url: app.server.url,
    project,
    configDir: path.join(home, 'config', 'yantra'),
    runs,
    setSpeed: (s) => {
      speed = s;
    },
    async close() {
      await app.close();
      await fs.rm(project, { recursive: true, force: true });
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}

export async function openBrowser(): Promise<Browser> {
  return launchChromium(CHROMIUM);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`) });
}

/** Sends a request through the chat input with Ctrl+Enter. */
export async function ask(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Request');
  await input.fill(text);
  await input.press('Control+Enter');
}
