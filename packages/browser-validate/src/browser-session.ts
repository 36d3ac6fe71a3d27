import type { Logger } from '@yantra/shared';
import { launchChromium, type ChromiumProcess } from './chromium-process.js';
import { connectCdp, type CdpConnection } from './cdp-connection.js';

export interface BrowserSessionOptions {
  readonly chromePath: string;
  readonly pythonPath: string;
  readonly launchTimeoutMs: number;
  readonly cdpTimeoutMs: number;
  readonly logger: Logger;
}

interface Live {
  readonly process: ChromiumProcess;
  readonly connection: CdpConnection;
}

/** PIDs of the running browser, for diagnostics and leak checks. */
export interface BrowserProcessInfo {
  readonly supervisorPid: number;
  readonly browserPid: number;
  readonly userDataDir: string;
  readonly launches: number;
}

/**
 * Keeps one browser for many checks. A crash (the process exits or the socket drops) clears
 * the slot; the next `acquire` launches a fresh browser.
 */
export class BrowserSession {
  private live: Promise<Live> | undefined;
  private current: Live | undefined;
  private launches = 0;

  constructor(private readonly options: BrowserSessionOptions) {}

  acquire(): Promise<CdpConnection> {
    if (this.current && !this.current.connection.isOpen()) this.discard(this.current);
    if (!this.live) {
      const p = this.launch();
      this.live = p;
      // A failed launch must not stick: the next check tries again.
      p.catch(() => {
        if (this.live === p) this.live = undefined;
      });
    }
    return this.live.then((l) => l.connection);
  }

  info(): BrowserProcessInfo | undefined {
    const c = this.current;
    return c === undefined
      ? undefined
      : { supervisorPid: c.process.supervisorPid, browserPid: c.process.browserPid, userDataDir: c.process.userDataDir, launches: this.launches };
  }

  async close(): Promise<void> {
    const pending = this.live;
    this.live = undefined;
    this.current = undefined;
    if (!pending) return;
    const l = await pending.catch(() => undefined);
    if (!l) return;
    await l.connection.close();
    await l.process.stop();
  }

  private async launch(): Promise<Live> {
    const started = performance.now();
    const proc = await launchChromium(this.options);
    let l: Live;
    try {
      l = { process: proc, connection: await connectCdp(proc.wsEndpoint, this.options.cdpTimeoutMs) };
    } catch (e) {
      await proc.stop();
      throw e;
    }
    this.launches += 1;
    this.current = l;
    this.options.logger.debug('browser launched', { ms: Math.round(performance.now() - started), pid: l.process.browserPid });
    const onGone = () => {
      if (this.current === l) {
        this.options.logger.warn('browser went away; the next check starts a new one', { pid: l.process.browserPid });
        this.discard(l);
      }
    };
    void l.connection.disconnected.then(onGone);
    void l.process.exited.then(onGone);
    return l;
  }

  private discard(l: Live): void {
    if (this.current === l) {
      this.current = undefined;
      this.live = undefined;
    }
    void l.connection.close().then(() => l.process.stop());
  }
}
