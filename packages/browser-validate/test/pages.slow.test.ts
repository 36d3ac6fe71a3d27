import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserValidator, type BrowserValidator, type CheckInput } from '../src/index.js';
import { startStaticServer, type StaticServer } from '../src/static-server.js';
import { decodePng } from './support/png.js';
import { normalize } from './support/normalize.js';

const pages = path.join(import.meta.dirname, '..', 'fixtures', 'pages');

// One browser for the whole file: checks reuse it, each in a fresh target.
let validator: BrowserValidator;
let api: StaticServer;
beforeAll(async () => {
  validator = createBrowserValidator();
  // A second origin on another port, serving JSON without CORS headers.
  api = await startStaticServer(path.join(pages, 'cors-api'));
});
afterAll(async () => {
  await api.close();
  await validator.close();
});

async function check(input: CheckInput) {
  const r = await validator.check(input);
  if (r.isErr()) throw new Error(`check failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('fixture pages against real Chromium', () => {
  const cases: [string, () => CheckInput, boolean][] = [
    ['clean', () => ({ dir: path.join(pages, 'clean') }), true],
    ['console-error', () => ({ dir: path.join(pages, 'console-error') }), false],
    ['thrown-error', () => ({ dir: path.join(pages, 'thrown-error') }), false],
    ['rejected-promise', () => ({ dir: path.join(pages, 'rejected-promise') }), false],
    ['missing-script', () => ({ dir: path.join(pages, 'missing-script') }), false],
    ['failing-fetch', () => ({ dir: path.join(pages, 'failing-fetch') }), false],
    ['cors', () => ({ dir: path.join(pages, 'cors'), entry: `index.html?api=${api.origin}` }), false],
  ];
  for (const [name, input, ok] of cases) {
    it(`${name}: ok is ${ok} and the findings match expected.json`, async () => {
      const r = await check(input());
      expect(r.ok).toBe(ok);
      expect(r.metrics.settled).toBe(true);
      await expect(`${JSON.stringify(normalize(r), null, 2)}\n`).toMatchFileSnapshot(path.join(pages, name, 'expected.json'));
    });
  }

  it('serves relative paths, ES modules and fetch from a clean page', async () => {
    const r = await check({ dir: path.join(pages, 'clean') });
    const paths = r.network.filter((n) => n.ok).map((n) => new URL(n.url).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/index.html', '/style.css', '/app.js', '/lib/render.js', '/data.json']));
    expect(r.console.find((c) => c.level === 'info')?.text).toBe('rendered 3 items');
    expect(r.metrics.loadMs).toBeGreaterThan(0);
    expect(r.metrics.domContentLoadedMs).toBeGreaterThan(0);
    expect(r.metrics.layoutCount).toBeGreaterThan(0);
    expect(r.metrics.jsHeapUsedBytes).toBeGreaterThan(0);
  });

  it('checks inline html and files written to a private temp dir', async () => {
    const r = await check({
      html: '<script type="module">import { x } from "./m.js"; if (x !== 7) console.error("wrong x"); document.title = "t" + x;</script>',
      files: { 'm.js': 'export const x = 7;' },
    });
    expect(r.ok).toBe(true);
    const bad = await check({ html: '<script>undefinedFunction()</script>' });
    expect(bad.ok).toBe(false);
    expect(bad.summary).toContain('undefinedFunction is not defined');
    expect(bad.summary).toContain('index.html:1:');
  });

  it('lets the policy allow a known console error and cross-origin failures stay out of ok', async () => {
    const strict = await check({ dir: path.join(pages, 'console-error') });
    expect(strict.ok).toBe(false);
    const lenient = await check({ dir: path.join(pages, 'console-error'), policy: { allowConsoleErrors: ['Failed to render chart'] } });
    expect(lenient.ok).toBe(true);
    // An image from an origin that is down is reported but does not fail the check by default.
    const cross = await check({ html: '<img src="http://localhost:9/nope.png">' });
    expect(cross.network.find((n) => n.url.includes('nope.png'))).toMatchObject({ ok: false, failure: 'network', sameOrigin: false });
    expect(cross.ok).toBe(true);
    const strictCross = await check({ html: '<img src="http://localhost:9/nope.png">', policy: { failOnCrossOriginRequests: true } });
    expect(strictCross.ok).toBe(false);
  });

  it('drives a login form with a script: validation error, then a successful submit', async () => {
    const script = JSON.parse(await readFile(path.join(pages, 'form', 'script.json'), 'utf8')) as CheckInput['script'];
    const r = await check({ dir: path.join(pages, 'form'), script });
    expect(r.steps.map((s) => s.status)).toEqual(Array(10).fill('passed'));
    expect(r.ok).toBe(true);
    const call = r.network.find((n) => n.url.includes('/api/session.json'));
    expect(call).toMatchObject({ ok: true, status: 200, step: 5 });
    expect(new URL(call?.url ?? '').searchParams.get('email')).toBe('ada@example.com');
    expect(r.screenshots.map((s) => s.name)).toEqual(['signed-in']);
  });

  it('points a failing script at its step and skips the rest', async () => {
    const r = await check({
      dir: path.join(pages, 'form'),
      script: [
        { action: 'fill', selector: '#email', value: 'x@y.z' },
        { action: 'click', selector: '#missing-button', timeoutMs: 300 },
        { action: 'assertVisible', selector: '#welcome' },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped']);
    expect(r.steps[1]?.error).toContain('no element matches #missing-button');
    expect(r.summary).toContain('step 2 (click #missing-button) failed');
    const text = await check({
      dir: path.join(pages, 'form'),
      script: [{ action: 'click', selector: '#submit' }, { action: 'assertText', selector: '#error', text: 'Password is required', timeoutMs: 300 }],
    });
    expect(text.steps[1]?.error).toContain('it shows "Email is required"');
  });

  it('takes a viewport and a full-page PNG that really show the page', async () => {
    const r = await check({ dir: path.join(pages, 'clean'), screenshot: 'viewport', script: [{ action: 'screenshot', name: 'full', fullPage: true }] });
    const full = r.screenshots.find((s) => s.name === 'full');
    const viewport = r.screenshots.find((s) => s.name === 'final');
    expect(viewport).toMatchObject({ mode: 'viewport', width: 1280, height: 800 });
    expect(full?.mode).toBe('fullPage');
    const fullImage = decodePng(Buffer.from(full?.pngBase64 ?? '', 'base64'));
    // main is 1400px high under a 100px banner: the full page is taller than the viewport.
    expect(fullImage.height).toBeGreaterThanOrEqual(1500);
    const image = decodePng(Buffer.from(viewport?.pngBase64 ?? '', 'base64'));
    expect([image.width, image.height]).toEqual([1280, 800]);
    // #banner is a 200x100 box of rgb(0, 128, 255) at the top left; the page is white beside it.
    expect(image.pixel(100, 50)).toEqual([0, 128, 255, 255]);
    expect(image.pixel(600, 50)).toEqual([255, 255, 255, 255]);
    expect(fullImage.pixel(100, 50)).toEqual([0, 128, 255, 255]);
  });

  it('starts every check with clean storage, even on the same URL', async () => {
    const site = await startStaticServer(path.join(pages, 'storage'));
    try {
      for (let i = 0; i < 3; i++) {
        const r = await check({ url: `${site.origin}/index.html` });
        expect(r.console).toEqual([]);
        expect(r.ok).toBe(true);
      }
    } finally {
      await site.close();
    }
  });

  it('queues concurrent checks so each gets a rendered screenshot', async () => {
    const results = await Promise.all(
      ['rgb(255, 0, 0)', 'rgb(0, 0, 255)'].map((colour) =>
        check({ html: `<body style="margin:0;background:${colour}"><p>x</p></body>`, screenshot: true }),
      ),
    );
    const pixels = results.map((r) => decodePng(Buffer.from(r.screenshots[0]?.pngBase64 ?? '', 'base64')).pixel(640, 400));
    expect(pixels).toEqual([
      [255, 0, 0, 255],
      [0, 0, 255, 255],
    ]);
  });

  it('serves the site on the address its server is bound to, so a server on [::1] and the same port cannot answer', async () => {
    const impostor = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{"price": "impostor"}');
    });
    await new Promise<void>((resolve, reject) => {
      impostor.once('error', reject);
      impostor.listen(api.port, '::1', () => resolve());
    });
    try {
      const r = await check({ dir: path.join(pages, 'cors'), entry: `index.html?api=${api.origin}` });
      expect(new URL(r.url).hostname).toBe('127.0.0.1');
      expect(r.network.find((n) => n.url.endsWith('/prices.json'))).toMatchObject({ ok: false, failure: 'cors' });
      expect(r.ok).toBe(false);
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });

  it('rejects bad input with typed errors', async () => {
    const none = await validator.check({});
    expect(none._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'input' });
    const escape = await validator.check({ html: '<p>x</p>', files: { '../evil.js': '' } });
    expect(escape._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'files' });
    const badStep = await validator.check({ html: '<p>x</p>', script: [{ action: 'click' }] as unknown as CheckInput['script'] });
    expect(badStep._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'script[0].selector' });
    const closed = await startStaticServer(pages);
    await closed.close();
    const down = await validator.check({ url: `http://127.0.0.1:${closed.port}/` });
    expect(down._unsafeUnwrapErr()).toMatchObject({ kind: 'navigation_failed', errorText: 'net::ERR_CONNECTION_REFUSED', retryable: true });
  });
});
