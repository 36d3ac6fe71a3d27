import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';

const pages = path.join(import.meta.dirname, '..', 'fixtures', 'pages');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-browser-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('yantra-browser check', () => {
  it('exits 0 on a clean page and 1 with the summary when the page has errors', async () => {
    const clean = captureIO({}, pages);
    expect(await main(['check', 'clean', '--json'], clean)).toBe(0);
    const good = JSON.parse(clean.out()) as { ok: boolean; summary: string };
    expect(good.ok).toBe(true);
    expect(clean.out().trim().split('\n')).toHaveLength(1);

    const broken = captureIO({}, pages);
    expect(await main(['check', 'thrown-error/index.html', '--json'], broken)).toBe(1);
    const bad = JSON.parse(broken.out()) as { ok: boolean; error: { kind: string; message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.kind).toBe('check_failed');
    expect(bad.error.message).toContain("uncaught exception: TypeError: Cannot read properties of undefined (reading 'map') at app.js:2:16");
  });

  it('runs a script file and writes the screenshots as PNG files', async () => {
    const out = path.join(dir, 'shot.png');
    const io = captureIO({}, pages);
    const code = await main(['check', 'form', '--script', 'form/script.json', '--screenshot', out, '--full-page', '--json'], io);
    expect(code).toBe(0);
    const r = JSON.parse(io.out()) as { steps: { status: string }[]; screenshots: { name: string; path: string; bytes: number }[] };
    expect(r.steps.every((s) => s.status === 'passed')).toBe(true);
    expect(r.screenshots.map((s) => s.name)).toEqual(['signed-in', 'final']);
    const png = await readFile(out);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBe(r.screenshots[1]?.bytes);
    expect((await readFile(path.join(dir, 'shot-signed-in.png'))).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('exits 2 on a missing target or an invalid script', async () => {
    const missing = captureIO({}, pages);
    expect(await main(['check', 'no-such-page.html', '--json'], missing)).toBe(2);
    expect(JSON.parse(missing.out())).toMatchObject({ error: { kind: 'usage' } });
    const script = path.join(dir, 'bad.json');
    await writeFile(script, JSON.stringify([{ action: 'hover', selector: 'a' }]));
    const invalid = captureIO({}, pages);
    expect(await main(['check', 'clean', '--script', script, '--json'], invalid)).toBe(2);
    expect(JSON.parse(invalid.out()).error.message).toContain('script[0].action');
  });

  it('fails with launch_failed when CHROME_PATH points nowhere', async () => {
    const io = captureIO({ CHROME_PATH: '/no/such/chromium' }, pages);
    expect(await main(['check', 'clean', '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'launch_failed' } });
  });
});

describe('yantra-browser bench', () => {
  it('reports cold start, warm percentiles, memory and leak counts as one JSON object', async () => {
    const io = captureIO();
    expect(await main(['bench', '--warm', '5', '--leak-checks', '5', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as {
      coldStartMs: number;
      warm: { checks: number; p50Ms: number; p99Ms: number; cpuMsPerCheck: number };
      memory: { browserPssMb: number; browserProcesses: number };
      leak: { leftAfterClose: number };
    };
    expect(r.coldStartMs).toBeGreaterThan(0);
    expect(r.warm.checks).toBe(5);
    expect(r.warm.p99Ms).toBeGreaterThanOrEqual(r.warm.p50Ms);
    expect(r.warm.cpuMsPerCheck).toBeGreaterThan(0);
    expect(r.memory.browserPssMb).toBeGreaterThan(10);
    expect(r.memory.browserProcesses).toBeGreaterThan(2);
    expect(r.leak.leftAfterClose).toBe(0);
  });
});
