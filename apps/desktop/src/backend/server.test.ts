import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSocketTransport, type SocketLike } from '../protocol/client.js';
import type { SequencedEvent } from '../protocol/messages.js';
import { startUiApp, type UiApp } from '../app.js';
import { createReplayPipeline, loadRecordedRuns, type RecordedRun } from './replay-pipeline.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

let app: UiApp;
let tmp: string;
let runs: RecordedRun[];
let speed = 0;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-server-'));
  const renderer = path.join(tmp, 'renderer');
  await fs.mkdir(path.join(renderer, 'assets'), { recursive: true });
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Yantra</title>');
  await fs.writeFile(path.join(renderer, 'assets', 'app.js'), 'export {};');
  await fs.writeFile(path.join(tmp, 'secret.txt'), 'outside');
  const project = path.join(tmp, 'project');
  await fs.cp(path.join(fixtures, 'project'), project, { recursive: true });
  runs = (await loadRecordedRuns(path.join(fixtures, 'runs')))._unsafeUnwrap();
  app = (
    await startUiApp({
      dir: project,
      env: { XDG_CONFIG_HOME: path.join(tmp, 'config') },
      rendererDir: renderer,
      pipeline: { run: (req, opts) => createReplayPipeline({ runs, speed }).run(req, opts) },
    })
  )._unsafeUnwrap();
});

afterAll(async () => {
  await app?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: app.server.port, path: urlPath, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

const wsOpen = (url: string, origin?: string) =>
  new Promise<'open' | 'refused'>((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => resolve('refused'));
  });

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 with a long random token in the URL', () => {
    expect(app.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[0-9a-f]{64}\/$/);
  });

  it('serves the renderer only under the token', async () => {
    const base = `/t/${app.server.token}/`;
    const ok = await get(base);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Yantra</title>');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect(ok.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get(`${base}assets/app.js`)).headers['content-type']).toContain('text/javascript');
    expect((await get('/')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
    expect((await get(`/t/${'0'.repeat(64)}/`)).status).toBe(403);
    expect((await get(`/t/${app.server.token.slice(0, 63)}/`)).status).toBe(403);
  });

  it('refuses foreign Host headers (DNS rebinding) and paths that leave the renderer', async () => {
    expect((await get(`/t/${app.server.token}/`, { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get(`/t/${app.server.token}/..%2f..%2fsecret.txt`)).status).toBe(404);
    expect((await get(`/t/${app.server.token}/preview/x/..%2f..%2fsecret.txt`)).status).toBe(404);
  });

  it('accepts a WebSocket only with the token and a local origin', async () => {
    const ws = app.server.url.replace('http', 'ws');
    expect(await wsOpen(`${ws}ws`)).toBe('open');
    expect(await wsOpen(`ws://127.0.0.1:${app.server.port}/ws`)).toBe('refused');
    expect(await wsOpen(`ws://127.0.0.1:${app.server.port}/t/${'a'.repeat(64)}/ws`)).toBe('refused');
    expect(await wsOpen(`${ws}ws`, 'http://evil.example')).toBe('refused');
  });

  it('answers bad frames with bad_request and keeps the socket open', async () => {
    const ws = new WebSocket(`${app.server.url.replace('http', 'ws')}ws`);
    const frames: unknown[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.on('open', r));
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, type: 'nope' }));
    ws.send(JSON.stringify({ id: 8, type: 'settings.get' }));
    await new Promise((r) => setTimeout(r, 200));
    ws.close();
    expect(frames[0]).toMatchObject({ kind: 'hello' });
    expect(frames).toContainEqual({ kind: 'response', id: -1, reply: { ok: false, error: expect.objectContaining({ kind: 'bad_request' }) } });
    expect(frames).toContainEqual({ kind: 'response', id: 7, reply: { ok: false, error: expect.objectContaining({ kind: 'bad_request' }) } });
    expect(frames).toContainEqual({ kind: 'response', id: 8, reply: { ok: true, value: expect.objectContaining({ anthropicConfigured: false }) } });
  });

  it('delivers every event of a run once and in order across connection drops, and serves its page', async () => {
    speed = 1;
    const transport = createSocketTransport({
      connect: () => new WebSocket(`${app.server.url.replace('http', 'ws')}ws`) as unknown as SocketLike,
      retryMs: 20,
    });
    const got: SequencedEvent[] = [];
    transport.onEvent((e) => got.push(e));
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    try {
      const started = await transport.request('run.start', { request: 'the todos page' });
      expect(started.ok).toBe(true);
      const runId = started.ok ? started.value.runId : '';
      // Drop three times while the run streams.
      for (let i = 0; i < 3; i += 1) {
        await new Promise((r) => setTimeout(r, 250));
        app.server.dropConnections();
      }
      const end = Date.now() + 20_000;
      while (!got.some((e) => e.event.type === 'final') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const mine = got.filter((e) => e.event.runId === runId);
      const recorded = runs.find((r) => r.match === 'todos');
      expect(mine.map((e) => e.event.type)).toEqual(recorded?.events.map((e) => e.event.type));
      expect(got.map((e) => e.seq)).toEqual(got.map((_, i) => (got[0]?.seq ?? 0) + i));
      expect(statuses.filter((s) => s === 'closed').length).toBeGreaterThanOrEqual(3);
      expect(transport.lastSeq()).toBe(app.backend.lastSeq);

      const page = await get(`/t/${app.server.token}/preview/${runId}/static/todos.html`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toBeUndefined();
      expect(page.body).toContain('<h1>Todos</h1>');
      // The console relay goes first in <head>, so it sees the page's own scripts.
      expect(page.body.indexOf('yantraPreviewConsole')).toBeLessThan(page.body.indexOf('<style>'));
      // Files the change did not touch come from the project folder.
      expect((await get(`/t/${app.server.token}/preview/${runId}/users.py`)).body).toContain('def load_user');
    } finally {
      transport.close();
      speed = 0;
    }
  });
});
