import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describeUnknown, makeError, silentLogger, type Logger, type YantraError } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerFrame } from '../protocol/messages.js';
import { parseRequestFrame } from '../protocol/validate.js';
import type { Backend, Connection } from './backend.js';

export interface ServerOptions {
  readonly backend: Backend;
  /** The built renderer (`dist/renderer`). */
  readonly rendererDir: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default: 32 random bytes, hex. */
  readonly token?: string;
  readonly version?: string;
  readonly logger?: Logger;
}

export type ServerError = YantraError<'listen_failed'> & { readonly port: number };

/** A running browser-mode server. Its URL carries the token; nothing is served without it. */
export interface UiServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every WebSocket at once (clients reconnect and replay); used to test reconnects. */
  dropConnections(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.py': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The preview frame is sandboxed without same-origin (generated code must not reach the app, its
 * token or its socket), so the page's console is relayed to the app by postMessage instead.
 */
const CONSOLE_RELAY = `<script>(function(){function s(l,a){try{parent.postMessage({yantraPreviewConsole:true,level:l,text:Array.prototype.map.call(a,function(x){return String(x)}).join(' ')},'*')}catch(e){}}['log','info','warn','error'].forEach(function(l){var o=console[l];console[l]=function(){s(l==='warn'?'warning':l,arguments);return o.apply(console,arguments)}});addEventListener('error',function(e){s('error',[e.message])});addEventListener('unhandledrejection',function(e){s('error',['Unhandled rejection: '+String(e.reason)])})})();</script>`;

function withConsoleRelay(html: string): string {
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + CONSOLE_RELAY + html.slice(head.index + head[0].length);
  return CONSOLE_RELAY + html;
}

/** Resolves `rel` inside `root`, or undefined when it would escape it. */
function inside(root: string, rel: string): string | undefined {
  const full = path.resolve(root, `.${path.posix.sep}${rel}`);
  return full === root || full.startsWith(root + path.sep) ? full : undefined;
}

/**
 * Serves the renderer and the WebSocket on 127.0.0.1 only. Every path starts with
 * `/t/<token>/`; requests without the token, or with a foreign Host (DNS rebinding), are refused.
 */
export function startUiServer(options: ServerOptions): ResultAsync<UiServer, ServerError> {
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? randomBytes(32).toString('hex');
  const { backend } = options;
  const rendererDir = path.resolve(options.rendererDir);
  const sockets = new Set<WebSocket>();
  let port = 0;

  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  /** The part after `/t/<token>`, or undefined when the token is missing or wrong. */
  const tokenPath = (url: string | undefined): string | undefined => {
    const pathname = new URL(url ?? '/', 'http://127.0.0.1').pathname;
    const m = /^\/t\/([0-9a-zA-Z_-]+)(\/.*)?$/.exec(pathname);
    if (!m || !sameToken(m[1] as string, token)) return undefined;
    return decodeURIComponent(m[2] ?? '/');
  };

  // Only the app's own files get the strict policy; preview pages are the project's, with their
  // own inline scripts, and are fenced off by the frame's sandbox instead.
  const appPolicy = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "worker-src 'self' blob:",
      "frame-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; ');

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', csp = false) => {
    res.writeHead(status, {
      ...(csp ? { 'Content-Security-Policy': appPolicy() } : {}),
      'Content-Type': type,
      'Cache-Control': 'no-store',
      // The token is in the URL; never let it leave in a Referer header.
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  };

  const serveFile = async (res: http.ServerResponse, file: string, kind: 'app' | 'preview-html' | 'preview') => {
    try {
      const body = await fs.readFile(file);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      send(res, 200, kind === 'preview-html' ? withConsoleRelay(body.toString('utf8')) : body, type, kind === 'app');
    } catch {
      send(res, 404, 'not found');
    }
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!allowedHost(req.headers.host)) return send(res, 403, 'forbidden host');
    const rest = tokenPath(req.url);
    if (rest === undefined) return send(res, 403, 'missing or wrong token');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    // The generated UI of a run: the change's files first, then the project's own files.
    const preview = /^\/preview\/([^/]+)\/(.+)$/.exec(rest);
    if (preview) {
      const [, runId, rel] = preview as unknown as [string, string, string];
      const changed = backend.changeFile(runId, rel);
      const type = TYPES[path.extname(rel)] ?? 'text/plain; charset=utf-8';
      if (changed !== undefined) return send(res, 200, type.startsWith('text/html') ? withConsoleRelay(changed) : changed, type);
      const file = inside(path.resolve(backend.projectDir()), rel);
      return file ? void serveFile(res, file, type.startsWith('text/html') ? 'preview-html' : 'preview') : send(res, 404, 'not found');
    }
    const file = inside(rendererDir, rest === '/' ? 'index.html' : rest.slice(1));
    return file ? void serveFile(res, file, 'app') : send(res, 404, 'not found');
  };

  const server = http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!allowedHost(req.headers.host) || !originOk || tokenPath(req.url) !== '/ws') {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  const onSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const out = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const conn: Connection = { push: (e) => out({ kind: 'event', ...e }) };
    const disconnect = backend.connect(conn);
    out({ kind: 'hello', lastSeq: backend.lastSeq, version: options.version ?? '0.0.0' });
    ws.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        raw = undefined;
      }
      const parsed = parseRequestFrame(raw);
      if (!parsed.ok) {
        const id = typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : -1;
        return out({ kind: 'response', id, reply: parsed });
      }
      void backend.handle(parsed.value, conn).then(
        (reply) => out({ kind: 'response', id: parsed.value.id, reply }),
        (e: unknown) => {
          logger.error(`request ${parsed.value.type} failed: ${describeUnknown(e)}`);
          out({ kind: 'response', id: parsed.value.id, reply: { ok: false, error: { kind: 'internal', message: 'internal error', retryable: false } } });
        },
      );
    });
    ws.on('close', () => {
      disconnect();
      sockets.delete(ws);
    });
    ws.on('error', (e) => logger.debug(`websocket error: ${describeUnknown(e)}`));
  };

  const listen = new Promise<UiServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/t/${token}/`,
        port,
        token,
        dropConnections() {
          for (const ws of sockets) ws.terminate();
        },
        async close() {
          for (const ws of sockets) ws.terminate();
          await new Promise<void>((r) => wss.close(() => r()));
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        },
      });
    });
  });
  return ResultAsync.fromPromise(listen, (e) =>
    makeError('listen_failed', `cannot listen on 127.0.0.1:${options.port ?? 0}: ${describeUnknown(e)}`, { port: options.port ?? 0 }),
  );
}
