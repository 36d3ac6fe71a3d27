import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureIO } from '@yantra/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from './cli.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-ui-cli-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const status = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

/** Starts `yantra-ui` in-process and waits for its first stdout line. */
async function serve(argv: string[]) {
  const io = captureIO({ XDG_CONFIG_HOME: path.join(tmp, 'config'), DISPLAY: '' }, tmp);
  const stop = new AbortController();
  const done = main(argv, io, stop.signal);
  const end = Date.now() + 10_000;
  while (!io.out().includes('\n') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return { io, stop, done };
}

describe('yantra-ui', () => {
  it('prints its URL as the first stdout line, serves until stopped, then prints nothing more', async () => {
    const { io, stop, done } = await serve([fixtures, '--no-open', '--replay', path.join(fixtures, 'runs')]);
    const url = io.out().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[0-9a-f]{64}\/$/);
    expect(await status(new URL('/', url).toString())).toBe(403);
    stop.abort();
    expect(await done).toBe(0);
    expect(io.out()).toBe(`${url}\n`);
    await expect(status(url)).rejects.toThrow();
  });

  it('with --json prints exactly one object {url}, and the replayed run answers over the socket', async () => {
    const { io, stop, done } = await serve([fixtures, '--no-open', '--json', '--replay', path.join(fixtures, 'runs')]);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const { url } = JSON.parse(lines[0] as string) as { url: string };
    const ws = new WebSocket(`${url.replace('http', 'ws')}ws`);
    const frames: { kind: string; id?: number; reply?: { ok: boolean; value?: { runId: string } } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ id: 1, type: 'run.start', params: { request: 'rename load_user' } }));
    const end = Date.now() + 10_000;
    while (!frames.some((f) => f.kind === 'response' && f.id === 1) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(frames.find((f) => f.id === 1)?.reply?.ok).toBe(true);
    stop.abort();
    expect(await done).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a folder that does not exist or a bad port', async () => {
    const io = captureIO({}, tmp);
    expect(await main(['no-such-folder', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage', message: expect.stringContaining('not a folder') } });
    const io2 = captureIO({}, tmp);
    expect(await main([tmp, '--port', '99999', '--no-open'], io2)).toBe(2);
  });

  it('fails bench with a typed error when the renderer is not where it expects', async () => {
    const io = captureIO({}, tmp);
    const code = await main(['bench', '--json', '--chromium', '/nonexistent/chromium'], io);
    expect(code).toBe(1);
    const out = JSON.parse(io.out()) as { error: { kind: string } };
    expect(['renderer_missing', 'bench_failed']).toContain(out.error.kind);
  });
});
