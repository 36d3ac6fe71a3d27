import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';

const fixture = path.join(import.meta.dirname, '../fixtures/vulnerable-app');

describe('yantra-security scan', () => {
  it('exits 1 on criticals, prints one redacted JSON object and writes SARIF', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'yantra-cli-'));
    cpSync(fixture, work, { recursive: true });
    const sarif = path.join(work, 'out.sarif');
    const io = captureIO({ XDG_CACHE_HOME: work });
    expect(await main(['scan', work, '--json', '--sarif', sarif], io)).toBe(1);
    const out = JSON.parse(io.out()) as { findings: unknown[]; gate: { blocked: boolean }; counts: Record<string, number>; error: { kind: string } };
    expect(out.error.kind).toBe('findings');
    expect(out.gate.blocked).toBe(true);
    expect(out.counts['critical']).toBeGreaterThanOrEqual(9);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ properties: { tags: string[] } }> } } }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver.rules.some((r) => r.properties.tags.includes('CWE-89'))).toBe(true);
    for (const secret of ['Tr0ub4dor&3xQ9', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc9zQ', 'hunter2hunter2']) {
      expect(io.out() + io.err() + readFileSync(sarif, 'utf8')).not.toContain(secret);
    }
  });

  it('exits 0 on a clean project and 1 once --fail-on reaches a remaining finding', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'yantra-cli-'));
    writeFileSync(path.join(work, 'ok.py'), 'import subprocess\n\n\ndef run():\n    subprocess.run("ls -l /tmp", shell=True)\n');
    const io = captureIO({ XDG_CACHE_HOME: work });
    expect(await main(['scan', work, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ gate: { blocked: false }, counts: { low: 1 } });
    expect(await main(['scan', work, '--json', '--fail-on', 'low'], captureIO({ XDG_CACHE_HOME: work }))).toBe(1);
  });
});
