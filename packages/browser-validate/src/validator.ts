import { ResultAsync } from 'neverthrow';
import { makeError, silentLogger, type Logger } from '@yantra/shared';
import { BrowserSession, type BrowserProcessInfo } from './browser-session.js';
import { BrowserFailure, toBrowserError, type BrowserError } from './errors.js';
import type { Viewport } from './page-session.js';
import { PagePool } from './page-pool.js';
import { judge, summarize, verdictOk, type CheckPolicy, type CheckResult, type Screenshot } from './result.js';
import { openSite, type SiteInput } from './site.js';
import { runSteps } from './step-runner.js';
import { parseSteps, type Step } from './steps.js';

/** Options of {@link createBrowserValidator}; every field has a default. */
export interface BrowserValidatorOptions {
  /** Chromium binary. Default `/usr/bin/chromium` (the CLI maps `CHROME_PATH`). */
  readonly chromePath?: string;
  /** Python 3 that runs the small process supervisor. Default `python3` from PATH. */
  readonly pythonPath?: string;
  readonly logger?: Logger;
  /** Quiet window after load: no requests in flight and no events for this long. Default 100 ms. */
  readonly settleMs?: number;
  /** Hard cap on waiting for load plus quiet, per navigation or step. Default 10 000 ms. */
  readonly maxWaitMs?: number;
  /** Default wait for a step's element or text. Default 5 000 ms. */
  readonly stepTimeoutMs?: number;
  /** Default 1280 x 800. */
  readonly viewport?: Viewport;
  /** Wait for the browser to start. Default 15 000 ms. */
  readonly launchTimeoutMs?: number;
  /** Open the next check's page while the current one runs. Default true. */
  readonly prewarm?: boolean;
}

/** What to check: one source of content, plus optional script, screenshot and policy. */
export interface CheckInput extends SiteInput {
  /** Interaction steps run after the page settles; unvalidated JSON is accepted and checked. */
  readonly script?: readonly Step[];
  /** A final screenshot: `true` or `viewport` for the viewport, `fullPage` for the whole page. */
  readonly screenshot?: boolean | 'viewport' | 'fullPage';
  readonly policy?: CheckPolicy;
}

export interface BrowserValidator {
  /** Loads the input in a fresh page of the shared browser, settles, runs the script and reports. Concurrent calls are queued. */
  check(input: CheckInput): ResultAsync<CheckResult, BrowserError>;
  /** The running browser's processes, if one is running. */
  browserProcess(): BrowserProcessInfo | undefined;
  /** Stops the browser and its whole process tree; later checks fail with `closed`. */
  close(): Promise<void>;
}

/** Creates a validator. The browser starts lazily, on the first check, and is reused after. */
export function createBrowserValidator(options: BrowserValidatorOptions = {}): BrowserValidator {
  const o = {
    chromePath: options.chromePath ?? '/usr/bin/chromium',
    pythonPath: options.pythonPath ?? 'python3',
    logger: options.logger ?? silentLogger,
    settleMs: options.settleMs ?? 100,
    maxWaitMs: options.maxWaitMs ?? 10_000,
    stepTimeoutMs: options.stepTimeoutMs ?? 5_000,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    launchTimeoutMs: options.launchTimeoutMs ?? 15_000,
    prewarm: options.prewarm ?? true,
  };
  const pool = new PagePool(o.viewport, o.prewarm);
  const browser = new BrowserSession({
    chromePath: o.chromePath,
    pythonPath: o.pythonPath,
    launchTimeoutMs: o.launchTimeoutMs,
    cdpTimeoutMs: Math.max(10_000, o.maxWaitMs),
    logger: o.logger,
  });
  let closed = false;

  const run = async (input: CheckInput): Promise<CheckResult> => {
    if (closed) throw new BrowserFailure(makeError('closed', 'the validator was closed', { retryable: false as const }));
    const started = performance.now();
    const steps = parseSteps(input.script);
    // Start (or reuse) the browser while the site is written and served: on a cold start the
    // launch is the long pole, and the two do not depend on each other.
    const connecting = browser.acquire();
    connecting.catch(() => {});
    const site = await openSite(input);
    try {
      const conn = await connecting;
      const page = await pool.take(conn);
      try {
        const settle = (needLoad: boolean) => page.settle({ needLoad, quietMs: o.settleMs, capMs: o.maxWaitMs });
        const nav = await page.navigate(site.url);
        if (nav.errorText !== undefined) {
          throw new BrowserFailure(
            makeError('navigation_failed', `cannot open ${site.url}: ${nav.errorText}`, {
              retryable: /CONNECTION|TIMED_OUT|NETWORK/.test(nav.errorText),
              url: site.url,
              errorText: nav.errorText,
            }),
          );
        }
        let settled = await settle(true);
        const screenshots: Screenshot[] = [];
        const policy = input.policy ?? {};
        const scripted = await runSteps(steps, { page, stepTimeoutMs: o.stepTimeoutMs, policy, screenshots, settle });
        settled = settled && scripted.settled;
        if (input.screenshot !== undefined && input.screenshot !== false) {
          const mode = input.screenshot === 'fullPage' ? 'fullPage' : 'viewport';
          screenshots.push(await page.screenshot('final', mode));
        }
        const metrics = await page.metrics(settled, performance.now() - started);
        const rec = page.recorder;
        rec.flushPending();
        const data = { console: [...rec.console], exceptions: [...rec.exceptions], network: [...rec.network], steps: scripted.results };
        const verdict = judge(data, policy);
        return {
          ok: verdictOk(verdict),
          url: site.url,
          ...data,
          metrics,
          screenshots,
          summary: summarize(site.url, verdict, metrics, steps.length),
        };
      } finally {
        await page.close();
      }
    } finally {
      await site.dispose();
    }
  };

  // Checks on one validator run one at a time: only the foreground tab renders frames, so two
  // pages checked at once would starve each other's screenshots, and 2 cores gain nothing.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (input: CheckInput): Promise<CheckResult> => {
    const next = queue.then(() => run(input));
    queue = next.catch(() => {});
    return next;
  };

  return {
    check: (input) => ResultAsync.fromPromise(enqueue(input), (e) => toBrowserError(e)),
    browserProcess: () => browser.info(),
    close: async () => {
      closed = true;
      await pool.close();
      await browser.close();
    },
  };
}
