/**
 * The Electron main process, kept thin: it starts the backend as a Node process, connects to it
 * with the same reconnecting client the browser uses, and relays protocol messages between the
 * window (through the preload) and the backend.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, ipcMain } from 'electron';
import WebSocket from 'ws';
import { createSocketTransport, type SocketLike } from '../protocol/client.js';
import type { SequencedEvent } from '../protocol/messages.js';
import { isMessageType, parseRequestFrame } from '../protocol/validate.js';
import { startBackendProcess } from './backend-process.js';
import { IPC } from './channels.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function start(): Promise<void> {
  const dir = process.argv.find((a, i) => i >= 2 && !a.startsWith('-')) ?? process.cwd();
  const backend = await startBackendProcess({
    node: process.env['YANTRA_NODE'] ?? 'node',
    bin: path.join(here, 'bin.js'),
    dir,
    env: process.env,
  });
  const wsUrl = `${backend.url.replace(/^http/, 'ws')}ws`;
  const transport = createSocketTransport({
    connect: () => new WebSocket(wsUrl, { origin: new URL(backend.url).origin }) as unknown as SocketLike,
  });

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Yantra',
    webPreferences: {
      preload: path.join(here, 'electron-preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  // Main keeps the events it relayed, so a reloaded window can replay them from here: the
  // backend would not send them again to this same connection.
  const history: SequencedEvent[] = [];
  transport.onEvent((e) => {
    history.push(e);
    win.webContents.send(IPC.event, e);
  });
  transport.onStatus((s) => win.webContents.send(IPC.status, s));
  ipcMain.handle(IPC.request, async (_evt, type: unknown, params: unknown) => {
    // The renderer is untrusted input here as well; the same validator guards both transports.
    const checked = parseRequestFrame({ id: 0, type, params });
    if (!checked.ok || !isMessageType(type)) return checked;
    if (checked.value.type === 'events.replay') {
      const { afterSeq } = checked.value.params as { afterSeq: number };
      const missed = history.filter((e) => e.seq > afterSeq);
      for (const e of missed) win.webContents.send(IPC.event, e);
      return { ok: true, value: { replayed: missed.length, lastSeq: transport.lastSeq() } };
    }
    return transport.request(type, checked.value.params as never);
  });
  await win.loadFile(path.join(here, 'renderer', 'index.html'));

  app.on('window-all-closed', () => {
    transport.close();
    backend.stop();
    app.quit();
  });
}

void app.whenReady().then(start, (e: unknown) => {
  process.stderr.write(`yantra: ${String(e)}\n`);
  app.exit(1);
});
