import { describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from './cli.js';

describe('yantra CLI contract', () => {
  it('prints help with its name and exits 0', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('yantra');
  });

  it('prints one JSON object for --version --json', async () => {
    const io = captureIO();
    expect(await main(['--version', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as { name: string; version: string };
    expect(parsed.name).toBe('yantra');
    expect(parsed.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a JSON error for an unknown command', async () => {
    const io = captureIO();
    expect(await main(['no-such-command', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage' } });
  });
});

describe('yantra bench options', () => {
  it('refuses a non-positive run count or a fractional project size with exit 2', async () => {
    for (const argv of [['bench', '--runs', '0', '--json'], ['bench', '--large-loc', '1.5', '--json'], ['bench', '--large-runs', 'x', '--json']]) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'usage', message: expect.stringMatching(/must be a/) } });
    }
  });
});
