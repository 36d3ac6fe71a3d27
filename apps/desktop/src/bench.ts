import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown, makeError, type YantraError } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import { defaultRendererDir, startUiApp } from './app.js';
import { launchChromium } from './bench/chromium.js';
import { createReplayPipeline, type RecordedEvent, type RecordedRun } from './backend/replay-pipeline.js';

export interface BenchReport {
  /** `loadAverage` is the 1-minute load when the run ended: figures from a busy machine are not comparable. */
  readonly machine: { readonly node: string; readonly cpus: number; readonly platform: string; readonly loadAverage: number };
  /** First contentful paint of the app in browser mode (median of runs), ms. */
  readonly firstPaintMs: number;
  readonly firstPaintRunsMs: readonly number[];
  /** From setting the model of a 5,000-line Python file to the next frame, ms. */
  readonly monacoOpen5000Ms: number;
  /** Tokens streamed (at 50 per second) while long tasks were observed. */
  readonly tokensStreamed: number;
  readonly longTasksWhileStreaming: number;
  readonly maxLongTaskMs: number;
  readonly targets: { readonly firstPaintMs: 1000; readonly monacoOpen5000Ms: 300; readonly longTaskMs: 50 };
  readonly pass: boolean;
}

export type BenchError = YantraError<'renderer_missing' | 'bench_failed'>;

export interface BenchOptions {
  readonly chromium: string;
  readonly env: NodeJS.ProcessEnv;
  readonly progress?: (label: string, done: number, total: number) => void;
}

function bigFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i += 1) {
    out.push(`def function_${i}(value: int, factor: float = 1.5) -> float:`, `    """Scale value number ${i}."""`, `    total = value * factor + ${i}`, `    return total`, '');
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

function benchRuns(): RecordedRun[] {
  const stream: RecordedEvent[] = [
    { delayMs: 0, event: { type: 'run_started', request: '', at: 0 } },
    { delayMs: 0, event: { type: 'stage_started', stage: 'generate', attempt: 1, at: 0 } },
  ];
  const words = 'def parse_config(path: str) -> dict:\n    """Read the settings."""\n    with open(path) as f:\n        return json.load(f)\n'.split(/(?<=\s)/);
  for (let i = 0; i < 250; i += 1) stream.push({ delayMs: 20, event: { type: 'token', text: words[i % words.length] as string } });
  const outcome = { status: 'validated', files: [], attempts: 1, gates: {}, usage: { inputTokens: 0, outputTokens: 250 }, costUsd: 0, ms: 0 };
  stream.push({ delayMs: 0, event: { type: 'stage_finished', stage: 'generate', attempt: 1, ok: true, ms: 5000 } });
  stream.push({ delayMs: 0, event: { type: 'final', outcome } });
  const big: RecordedEvent[] = [
    { delayMs: 0, event: { type: 'run_started', request: '', at: 0 } },
    { delayMs: 0, event: { type: 'change', attempt: 1, files: [{ path: 'big_module.py', before: null, after: bigFile(5000) }] } },
    { delayMs: 0, event: { type: 'final', outcome: { ...outcome, files: ['big_module.py'] } } },
  ];
  return [
    { name: 'stream', match: 'stream', events: stream },
    { name: 'big', match: 'big file', events: big },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Measures the app in real Chromium (browser mode, recorded runs): first paint, opening a
 * 5,000-line file in Monaco, and long tasks while 250 tokens stream at 50 per second.
 */
export function runBench(options: BenchOptions): ResultAsync<BenchReport, BenchError> {
  const progress = options.progress ?? (() => undefined);
  if (!existsSync(path.join(defaultRendererDir(), 'index.html'))) {
    return ResultAsync.fromPromise(Promise.reject(new Error('missing')), () =>
      makeError('renderer_missing', `no built renderer in ${defaultRendererDir()}; run the build first`),
    );
  }
  const work = async (): Promise<BenchReport> => {
    const project = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-bench-'));
    const config = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-bench-config-'));
    const app = await startUiApp({ dir: project, env: { XDG_CONFIG_HOME: config, XDG_CACHE_HOME: config }, pipeline: createReplayPipeline({ runs: benchRuns() }) }).match(
      (a) => a,
      (e) => {
        throw new Error(e.message);
      },
    );
    const browser = await launchChromium(options.chromium);
    try {
      const paints: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        progress('first paint', i, 5);
        const page = await browser.newPage();
        await page.goto(app.server.url, { waitUntil: 'load' });
        await page.getByRole('heading', { name: 'Yantra' }).waitFor();
        const fcp = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const get = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
              const now = get();
              if (now !== undefined) return resolve(now);
              new PerformanceObserver(() => {
                const t = get();
                if (t !== undefined) resolve(t);
              }).observe({ type: 'paint', buffered: true });
            }),
        );
        paints.push(fcp);
        await page.close();
      }
      progress('first paint', 5, 5);

      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(app.server.url, { waitUntil: 'load' });
      await page.locator('.monaco-editor').first().waitFor({ timeout: 30_000 });
      const input = page.getByLabel('Request');

      // Streaming first, on a settled page: long tasks are observed only while tokens arrive.
      await page.waitForTimeout(500);
      await page.evaluate(() => {
        const w = window as unknown as { __longTasks: number[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longTasks.push(e.duration);
        }).observe({ type: 'longtask' });
      });
      await input.fill('stream some tokens');
      await input.press('Control+Enter');
      await page.locator('article[data-run]').first().locator('[data-outcome]').waitFor({ timeout: 60_000 });
      const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
      progress('streaming', 1, 1);

      // Then the 5,000-line file; the renderer measures from setting the model to the next frame.
      await input.fill('open the big file');
      await input.press('Control+Enter');
      await page.locator('[data-testid="monaco-host"][data-ready="big_module.py"]').waitFor({ timeout: 30_000 });
      const open = await page.evaluate(() => {
        const all = performance.getEntriesByName('yantra:code-open');
        return all[all.length - 1]?.duration ?? Number.NaN;
      });
      progress('monaco', 1, 1);
      await page.close();

      const firstPaintMs = median(paints);
      const maxLongTaskMs = longTasks.length > 0 ? Math.max(...longTasks) : 0;
      return {
        machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.release()}`, loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10 },
        firstPaintMs,
        firstPaintRunsMs: paints.map((p) => Math.round(p)),
        monacoOpen5000Ms: open,
        tokensStreamed: 250,
        longTasksWhileStreaming: longTasks.length,
        maxLongTaskMs,
        targets: { firstPaintMs: 1000, monacoOpen5000Ms: 300, longTaskMs: 50 },
        pass: firstPaintMs <= 1000 && open <= 300 && longTasks.length === 0,
      };
    } finally {
      await browser.close();
      await app.close();
      await fs.rm(project, { recursive: true, force: true });
      await fs.rm(config, { recursive: true, force: true });
    }
  };
  return ResultAsync.fromPromise(work(), (e) => makeError('bench_failed', `benchmark failed: ${describeUnknown(e)}`));
}
