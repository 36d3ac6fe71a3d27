import { describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';

describe('yantra-git CLI contract', () => {
  it('prints help with its name and exits 0', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('yantra-git');
  });

  it('prints one JSON object for --version --json', async () => {
    const io = captureIO();
    expect(await main(['--version', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as { name: string; version: string };
    expect(parsed.name).toBe('yantra-git');
    expect(parsed.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a JSON error for an unknown command', async () => {
    const io = captureIO();
    expect(await main(['no-such-command', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
  });
});
