import type { CdpConnection } from './cdp-connection.js';
import { PageSession, type Viewport } from './page-session.js';

/**
 * Hands out fresh pages. Creating and attaching a target costs tens of milliseconds, so with
 * `prewarm` the next check's page is opened while the current check runs. Every check still
 * gets its own new target; none is ever reused.
 */
export class PagePool {
  private spare: { conn: CdpConnection; page: Promise<PageSession> } | undefined;

  constructor(
    private readonly viewport: Viewport,
    private readonly prewarm: boolean,
  ) {}

  async take(conn: CdpConnection): Promise<PageSession> {
    const s = this.spare;
    this.spare = undefined;
    let page: PageSession | undefined;
    if (s && s.conn === conn) {
      page = await s.page.catch(() => undefined);
      if (page && !page.usableOn(conn)) {
        await page.close();
        page = undefined;
      }
    } else if (s) {
      void s.page.then((p) => p.close(), () => {});
    }
    page ??= await PageSession.open(conn, this.viewport);
    await page.bringToFront();
    if (this.prewarm && conn.isOpen()) {
      const next = PageSession.open(conn, this.viewport, true);
      next.catch(() => {});
      this.spare = { conn, page: next };
    }
    return page;
  }

  async close(): Promise<void> {
    const s = this.spare;
    this.spare = undefined;
    if (s) await s.page.then((p) => p.close(), () => {});
  }
}
