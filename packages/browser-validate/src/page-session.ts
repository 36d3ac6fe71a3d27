import { makeError } from '@yantra/shared';
import type { CdpConnection, Method, Params, Returns } from './cdp-connection.js';
import { PageRecorder } from './capture.js';
import { BrowserFailure } from './errors.js';
import type { PageMetrics, Screenshot } from './result.js';

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

export interface SettleOptions {
  /** Wait for the load event of a navigation started just before. */
  readonly needLoad: boolean;
  /** Quiet window: no requests in flight and no events for this long. */
  readonly quietMs: number;
  /** Hard cap from now. */
  readonly capMs: number;
}

/**
 * One page target, reached through a flat session on the shared connection. Targets live in
 * the browser's default context: a context per check would start a renderer process per check,
 * which measured 2-3 times slower here. Isolation comes instead from a fresh origin per served
 * site (random port), a disabled HTTP cache, and clearing every visited origin's storage and
 * cookies when the page closes.
 */
export class PageSession {
  private constructor(
    private readonly conn: CdpConnection,
    readonly recorder: PageRecorder,
    private readonly sessionId: string,
    private readonly targetId: string,
    private readonly unsubscribe: () => void,
  ) {}

  /** `background` opens a tab that does not take the foreground from the page being checked. */
  static async open(conn: CdpConnection, viewport: Viewport, background = false): Promise<PageSession> {
    const { targetId } = await conn.send('Target.createTarget', { url: 'about:blank', background });
    try {
      const { sessionId } = await conn.send('Target.attachToTarget', { targetId, flatten: true });
      // For a page target, the main frame's id is the target id.
      const recorder = new PageRecorder(targetId);
      const unsubscribe = conn.subscribe(sessionId, recorder.handle);
      const session = new PageSession(conn, recorder, sessionId, targetId, unsubscribe);
      await Promise.all([
        session.send('Page.enable'),
        session.send('Runtime.enable'),
        session.send('Log.enable'),
        session.send('Network.enable'),
        session.send('Network.setCacheDisabled', { cacheDisabled: true }),
        session.send('Performance.enable'),
        session.send('Inspector.enable'),
        session.send('Emulation.setFocusEmulationEnabled', { enabled: true }),
        session.send('Emulation.setDeviceMetricsOverride', {
          width: viewport.width,
          height: viewport.height,
          deviceScaleFactor: 1,
          mobile: false,
        }),
      ]);
      return session;
    } catch (e) {
      await conn.send('Target.closeTarget', { targetId }).catch(() => {});
      throw e;
    }
  }

  send<M extends Method>(method: M, params?: Params<M>, timeoutMs?: number): Promise<Returns<M>> {
    if (this.recorder.crashed) return Promise.reject(pageCrashed());
    return this.conn.send(method, params, this.sessionId, timeoutMs);
  }

  /** A background tab renders no frames and has throttled timers: checks run in the foreground. */
  async bringToFront(): Promise<void> {
    await this.send('Page.bringToFront');
  }

  /** True while this page can still be used (its connection is the live one). */
  usableOn(conn: CdpConnection): boolean {
    return this.conn === conn && conn.isOpen() && !this.recorder.crashed;
  }

  /** Navigates the main frame; resolves when the new document has committed. */
  async navigate(url: string): Promise<{ errorText?: string }> {
    this.recorder.expectNavigation(url);
    const r = await this.send('Page.navigate', { url });
    return r.errorText === undefined || r.errorText === '' ? {} : { errorText: r.errorText };
  }

  /** Waits for load (if asked), then for a quiet window; false when the cap ended the wait. */
  async settle(options: SettleOptions): Promise<boolean> {
    const rec = this.recorder;
    const deadline = performance.now() + options.capMs;
    const started = performance.now();
    for (;;) {
      if (rec.crashed) throw pageCrashed();
      if (!this.conn.isOpen()) throw new BrowserFailure(makeError('browser_crashed', 'the browser went away during the check', { retryable: true as const }));
      const now = performance.now();
      const quietSince = Math.max(rec.lastActivity, started);
      if ((!options.needLoad || rec.loadFired) && !rec.mainFrameLoading && rec.inflight() === 0 && now - quietSince >= options.quietMs) {
        return true;
      }
      if (now >= deadline) return false;
      await sleep(Math.min(10, Math.max(1, deadline - now)));
    }
  }

  /** Evaluates an expression in the page; page-side exceptions become a rejected Error. */
  async evaluate<T>(expression: string, timeoutMs?: number): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true, userGesture: true }, timeoutMs);
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(d.exception?.description?.split('\n')[0] ?? d.text);
    }
    return r.result.value as T;
  }

  async screenshot(name: string, mode: 'viewport' | 'fullPage', step?: number): Promise<Screenshot> {
    let params: Params<'Page.captureScreenshot'> = { format: 'png' };
    if (mode === 'fullPage') {
      const m = await this.send('Page.getLayoutMetrics');
      const size = m.cssContentSize;
      params = {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.min(Math.ceil(size.height), 16_384), scale: 1 },
      };
    }
    const { data } = await this.send('Page.captureScreenshot', params);
    const png = Buffer.from(data, 'base64');
    // The IHDR chunk starts at byte 8; width and height are its first two big-endian words.
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    return { name, mode, width, height, pngBase64: data, ...(step === undefined ? {} : { step }) };
  }

  /** Performance counters and navigation timing; best-effort on a page whose main thread is stuck. */
  async metrics(settled: boolean, checkMs: number): Promise<PageMetrics> {
    const budget = 2000;
    type Metric = { name: string; value: number };
    const [perf, timing] = await Promise.all([
      this.send('Performance.getMetrics', undefined, budget).catch((): { metrics: Metric[] } => ({ metrics: [] })),
      this.evaluate<{ load: number; dcl: number } | null>(
        `(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? { load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd } : null; })()`,
        budget,
      ).catch(() => null),
    ]);
    const m = new Map<string, number>(perf.metrics.map((x: Metric) => [x.name, x.value]));
    const get = (k: string) => m.get(k) ?? 0;
    return {
      ...(timing && timing.load > 0 ? { loadMs: round(timing.load) } : {}),
      ...(timing && timing.dcl > 0 ? { domContentLoadedMs: round(timing.dcl) } : {}),
      layoutCount: get('LayoutCount'),
      recalcStyleCount: get('RecalcStyleCount'),
      jsHeapUsedBytes: get('JSHeapUsedSize'),
      jsHeapTotalBytes: get('JSHeapTotalSize'),
      nodes: get('Nodes'),
      scriptDurationMs: round(get('ScriptDuration') * 1000),
      taskDurationMs: round(get('TaskDuration') * 1000),
      settled,
      checkMs: round(checkMs),
    };
  }

  /** Clears what the page stored (so a later check on the same origin starts clean), then closes it. */
  async close(): Promise<void> {
    if (!this.conn.isOpen()) {
      this.unsubscribe();
      return;
    }
    await Promise.all(
      [...this.recorder.visitedOrigins].map((origin) =>
        this.send('Storage.clearDataForOrigin', { origin, storageTypes: STORAGE_TYPES }).catch(() => {}),
      ),
    );
    this.unsubscribe();
    await this.conn.send('Target.closeTarget', { targetId: this.targetId }).catch(() => {});
  }
}

/** What a page can leave behind for the next check on its origin. */
const STORAGE_TYPES = 'cookies,local_storage,indexeddb,cache_storage,service_workers,file_systems,websql';

function pageCrashed(): BrowserFailure {
  return new BrowserFailure(makeError('browser_crashed', "the page's renderer process crashed", { retryable: true as const }));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
