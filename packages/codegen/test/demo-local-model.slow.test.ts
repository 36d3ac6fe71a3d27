import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureIO } from '@yantra/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

/**
 * `yantra demo` with the real embedded model (Gemma 3 270M through node-llama-cpp), no key and
 * no network. A model this small rarely writes a change that passes every gate, so the test
 * checks the structure of the outcome and the promise that matters: either a commit that passed
 * the gates, or a rejection that left the project exactly as it was.
 */
const repoRoot = path.resolve(import.meta.dirname, '../../..');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'yantra-demo-home-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('yantra demo with the embedded local model', () => {
  it('runs the main job end to end and either commits a validated change or leaves the project intact', async () => {
    const io = captureIO(
      {
        PATH: process.env['PATH'],
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_CACHE_HOME: process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'),
        YANTRA_TOOLS_VENV: path.join(repoRoot, '.venv'),
      },
      repoRoot,
    );
    const code = await main(['demo', '--json'], io);
    const result = JSON.parse(io.out().trim().split('\n').at(-1) as string) as {
      workspace: string;
      baseline: { tests: { passed: boolean } };
      outcome: { status: string; attempts: number; commit?: string; usage: { outputTokens: number }; files: string[] };
    };
    try {
      expect(code, `stderr: ${io.err().slice(-3000)}`).toBe(0);
      expect(result.baseline.tests.passed).toBe(true);
      expect(['committed', 'rejected']).toContain(result.outcome.status);
      expect(result.outcome.attempts).toBeGreaterThanOrEqual(1);
      expect(result.outcome.attempts).toBeLessThanOrEqual(3);
      expect(result.outcome.usage.outputTokens).toBeGreaterThan(0);
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: result.workspace, encoding: 'utf8' }).trim();
      const status = execFileSync('git', ['status', '--porcelain'], { cwd: result.workspace, encoding: 'utf8' }).trim();
      expect(status).toBe('');
      if (result.outcome.status === 'committed') expect(result.outcome.commit).toBe(head);
      else expect(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: result.workspace, encoding: 'utf8' }).trim()).toBe('1');
    } finally {
      await rm(result.workspace, { recursive: true, force: true });
    }
  }, 900_000);
});
