import { describe, expect, it } from 'vitest';
import { fail, ok, runCli, type CliSpec } from './cli-kit.js';
import { captureIO } from './testing.js';

const spec: CliSpec = {
  name: 'yantra-demo',
  version: '1.2.3',
  description: 'A demo CLI.',
  commands: [
    {
      name: 'add <a> <b>',
      description: 'Adds two numbers',
      run: async ([a, b]) => ok({ sum: Number(a) + Number(b) }, `sum ${Number(a) + Number(b)}`),
    },
    { name: 'broken', description: 'Always fails', run: async () => fail('nope', 'it broke', { detail: 1 }) },
  ],
};

describe('runCli', () => {
  it('prints the human text on stdout without --json', async () => {
    const io = captureIO();
    expect(await runCli(spec, ['add', '2', '3'], io)).toBe(0);
    expect(io.out()).toBe('sum 5\n');
  });

  it('prints exactly one JSON object with --json', async () => {
    const io = captureIO();
    expect(await runCli(spec, ['add', '2', '3', '--json'], io)).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(io.out())).toEqual({ sum: 5 });
  });

  it('exits 1 on a domain failure, with the error in the JSON object and text on stderr', async () => {
    const io = captureIO();
    expect(await runCli(spec, ['broken', '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({ detail: 1, error: { kind: 'nope', message: 'it broke' } });
    expect(io.err()).toContain('it broke');
  });

  it('exits 2 on a missing argument or an unknown option', async () => {
    const a = captureIO();
    expect(await runCli(spec, ['add', '1', '--json'], a)).toBe(2);
    expect(JSON.parse(a.out())).toMatchObject({ error: { kind: 'usage' } });
    const b = captureIO();
    expect(await runCli(spec, ['add', '1', '2', '--bogus'], b)).toBe(2);
  });

  it('lists commands in --help', async () => {
    const io = captureIO();
    expect(await runCli(spec, ['--help'], io)).toBe(0);
    expect(io.out()).toContain('add <a> <b>');
    expect(io.out()).toContain('broken');
  });
});
