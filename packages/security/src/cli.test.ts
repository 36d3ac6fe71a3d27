import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';

describe('yantra-security CLI contract', () => {
  it('prints help with its name and exits 0', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('yantra-security');
  });

  it('prints one JSON object for --version --json', async () => {
    const io = captureIO();
    expect(await main(['--version', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as { name: string; version: string };
    expect(parsed.name).toBe('yantra-security');
    expect(parsed.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a JSON error for an unknown command', async () => {
    const io = captureIO();
    expect(await main(['no-such-command', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
  });
});

describe('yantra-security usage errors and the advisory database', () => {
  it('exits 2 for a missing path or a bad --fail-on, with one JSON object', async () => {
    const io = captureIO();
    expect(await main(['scan', '/no/such/dir', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
    const io2 = captureIO();
    expect(await main(['scan', '.', '--fail-on', 'urgent', '--json'], io2)).toBe(2);
    expect(JSON.parse(io2.out()).error.message).toMatch(/fail-on/);
  });

  it('db info describes the shipped snapshot and its licence', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'yantra-cache-'));
    const io = captureIO({ XDG_CACHE_HOME: cache });
    expect(await main(['db', 'info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.out()) as { advisories: number; source: { license: string; snapshot: string } };
    expect(info.advisories).toBeGreaterThan(2500);
    expect(info.source).toMatchObject({ license: 'CC-BY-4.0', snapshot: expect.stringContaining('2024-10-10') });
  });

  it('db update --from loads a newer snapshot into the user cache, which db info then reports', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'yantra-cache-'));
    const from = path.join(import.meta.dirname, '../fixtures/osv-mini');
    const io = captureIO({ XDG_CACHE_HOME: cache });
    expect(await main(['db', 'update', '--from', from, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ advisories: 2, skipped: 2, file: path.join(cache, 'yantra/security/advisories.json.gz') });
    const io2 = captureIO({ XDG_CACHE_HOME: cache });
    expect(await main(['db', 'info', '--json'], io2)).toBe(0);
    expect(JSON.parse(io2.out())).toMatchObject({ advisories: 2, source: { snapshot: '0123456789abcdef (2099-01-01)' } });
  });

  it('db update without --from, or from an empty directory, is bad usage', async () => {
    expect(await main(['db', 'update', '--json'], captureIO())).toBe(2);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'yantra-empty-'));
    const io = captureIO({ XDG_CACHE_HOME: empty });
    expect(await main(['db', 'update', '--from', empty, '--json'], io)).toBe(2);
    expect(JSON.parse(io.out()).error.message).toMatch(/no OSV advisories/);
  });
});
