import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureIO } from '@yantra/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(src: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-cli-guard-'));
  dirs.push(dir);
  cpSync(src, dir, { recursive: true });
  return dir;
}

describe('yantra-gnn validate / context', () => {
  it('validate compares the stored graph with the files now and exits 1 on a breakage', async () => {
    const dir = project(path.join(FIX, 'guard', 'keyword-renamed', 'before'));
    expect(await main(['build', dir], captureIO())).toBe(0);
    const clean = captureIO();
    expect(await main(['validate', dir, '--changed', 'app/core.py', '--json'], clean)).toBe(0);
    expect((JSON.parse(clean.out()) as { breakages: unknown[] }).breakages).toEqual([]);
    cpSync(path.join(FIX, 'guard', 'keyword-renamed', 'after'), dir, { recursive: true });
    const io = captureIO({}, dir);
    expect(await main(['validate', dir, '--changed', 'app/core.py', 'app/util.py', '--json'], io)).toBe(1);
    const out = JSON.parse(io.out()) as { error: { kind: string }; breakages: { kind: string; symbol: string; sites: { file: string; line: number }[] }[] };
    expect(out.error.kind).toBe('breaking_change');
    expect(out.breakages.map((b) => [b.kind, b.symbol])).toEqual([['signature_incompatible', 'app.core.scale']]);
    expect(out.breakages[0]?.sites).toEqual([{ file: 'app/main.py', line: 8, symbol: 'app.main.go' }]);
  });

  it('validate without changed files is a usage error', async () => {
    const io = captureIO();
    expect(await main(['validate', FIX, '--json'], io)).toBe(2);
  });

  it('context ranks the mentioned symbol first and prints one JSON object', async () => {
    const dir = project(path.join(FIX, 'context', 'shop'));
    const io = captureIO();
    expect(await main(['context', dir, '--query', 'make checkout() apply two discounts', '--budget', '600', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { items: { id: string; detail: string }[]; usedTokens: number };
    expect(out.items[0]).toMatchObject({ id: 'shop.checkout.checkout', detail: 'full' });
    expect(out.items.map((i) => i.id)).toContain('shop.pricing.Discount');
    expect(out.usedTokens).toBeLessThanOrEqual(600);
  });
});
