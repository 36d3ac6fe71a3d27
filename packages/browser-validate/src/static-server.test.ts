import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from './static-server.js';

let root: string;
let server: StaticServer;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'yantra-static-'));
  await mkdir(path.join(root, 'site', 'js'), { recursive: true });
  await writeFile(path.join(root, 'site', 'index.html'), '<p>home</p>');
  await writeFile(path.join(root, 'site', 'js', 'app.mjs'), 'export {}');
  await writeFile(path.join(root, 'secret.txt'), 'outside');
  server = await startStaticServer(path.join(root, 'site'));
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** A raw GET, so the path is sent exactly as written (no client-side normalisation). */
function get(rawPath: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  it('serves files with their MIME type and a directory as its index.html', async () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<p>home</p>' });
    expect(await get('/js/app.mjs')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('answers 404 for a missing file and never serves outside its root', async () => {
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/favicon.ico')).status).toBe(204);
    const escape = await get('/../secret.txt');
    expect(escape.body).not.toContain('outside');
    const encoded = await get('/%2e%2e/secret.txt');
    expect([403, 404]).toContain(encoded.status);
    expect(encoded.body).not.toContain('outside');
  });
});
