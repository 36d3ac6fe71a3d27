import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcess, scrubEnv } from './process.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-proc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Running, as opposed to gone or a zombie waiting for a reaper. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('scrubEnv', () => {
  it('keeps only allow-listed variables and applies overrides', () => {
    const env = scrubEnv(
      { PATH: '/bin', ANTHROPIC_API_KEY: 'sk-ant-secret', YANTRA_TOKEN: 'x', HOME: '/root' },
      { set: { HOME: '/tmp/h' } },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/tmp/h' });
  });
});

describe('runProcess', () => {
  it('captures stdout, stderr and the exit code', async () => {
    const r = await runProcess({ argv: ['/bin/sh', '-c', 'echo out; echo err >&2; exit 3'], cwd: dir });
    const value = r._unsafeUnwrap();
    expect(value).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  it('does not pass secrets from the parent environment by default', async () => {
    process.env['OPENAI_API_KEY'] = 'sk-test-should-not-leak';
    try {
      const r = await runProcess({ argv: ['/usr/bin/env'], cwd: dir });
      expect(r._unsafeUnwrap().stdout).not.toContain('sk-test-should-not-leak');
    } finally {
      delete process.env['OPENAI_API_KEY'];
    }
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const script = `sleep 30 & echo $! > ${pidFile}; wait`;
    const r = (await runProcess({ argv: ['/bin/sh', '-c', script], cwd: dir, timeoutMs: 500 }))._unsafeUnwrap();
    expect(r.timedOut).toBe(true);
    expect(r.durationMs).toBeLessThan(10_000);
    const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
    await new Promise((res) => setTimeout(res, 100));
    expect(await alive(grandchild)).toBe(false);
  });

  it('stops on abort and reports cancellation', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = (await runProcess({ argv: ['/bin/sleep', '30'], cwd: dir, signal: controller.signal }))._unsafeUnwrap();
    expect(r.cancelled).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('enforces the file-size limit', async () => {
    const big = path.join(dir, 'big.bin');
    const r = (
      await runProcess({
        argv: ['/bin/dd', 'if=/dev/zero', `of=${big}`, 'bs=1M', 'count=8'],
        cwd: dir,
        limits: { fileSizeMb: 1 },
      })
    )._unsafeUnwrap();
    expect(r.exitCode === 0 && r.signal === null).toBe(false);
  });

  it('passes arguments verbatim, never through a shell', async () => {
    const tricky = '$(touch pwned); `id`';
    const r = (await runProcess({ argv: ['/bin/echo', tricky], cwd: dir, limits: { openFiles: 64 } }))._unsafeUnwrap();
    expect(r.stdout).toBe(`${tricky}\n`);
    await expect(readFile(path.join(dir, 'pwned'))).rejects.toThrow();
  });

  it('returns a typed error when the program does not exist', async () => {
    const r = await runProcess({ argv: ['/no/such/program'], cwd: dir });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'spawn_failed', program: '/no/such/program' });
  });

  it('truncates runaway output', async () => {
    await writeFile(path.join(dir, 'x'), 'y');
    const r = (await runProcess({ argv: ['/usr/bin/yes'], cwd: dir, maxOutputBytes: 1000, timeoutMs: 300 }))._unsafeUnwrap();
    expect(r.stdout.length).toBe(1000);
    expect(r.truncated).toBe(true);
  });
});
