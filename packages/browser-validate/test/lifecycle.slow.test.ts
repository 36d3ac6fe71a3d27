import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createBrowserValidator } from '../src/index.js';
import { listProcs, waitFor } from './support/procs.js';

/** All descendants of a process, found by walking parent links. */
function descendants(root: number): number[] {
  const procs = listProcs();
  const found = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  found.delete(root);
  return [...found];
}

function present(pids: readonly number[]): number[] {
  const all = new Set(listProcs().map((p) => p.pid));
  return pids.filter((p) => all.has(p));
}

describe('browser lifecycle', () => {
  it('reuses one browser across checks and leaves no process, zombie or profile after close', async () => {
    const v = createBrowserValidator();
    try {
      for (let i = 0; i < 3; i++) expect((await v.check({ html: `<p>${i}</p>` }))._unsafeUnwrap().ok).toBe(true);
      const info = v.browserProcess();
      expect(info?.launches).toBe(1);
      const tree = descendants(info?.supervisorPid ?? -1);
      expect(tree).toContain(info?.browserPid);
      expect(tree.length).toBeGreaterThanOrEqual(4);
      await v.close();
      // Not even zombies: every process of the tree has been reaped.
      expect(present([...tree, info?.supervisorPid ?? -1])).toEqual([]);
      expect(existsSync(info?.userDataDir ?? '/')).toBe(false);
      expect((await v.check({ html: '<p>late</p>' }))._unsafeUnwrapErr().kind).toBe('closed');
    } finally {
      await v.close();
    }
  });

  it('restarts the browser after it crashes', async () => {
    const v = createBrowserValidator();
    try {
      expect((await v.check({ html: '<p>one</p>' }))._unsafeUnwrap().ok).toBe(true);
      const first = v.browserProcess();
      const tree = descendants(first?.supervisorPid ?? -1);
      process.kill(first?.browserPid ?? -1, 'SIGKILL');
      // The supervisor reaps the dead browser's children and exits.
      expect(await waitFor(() => present([...tree, first?.supervisorPid ?? -1]).length === 0, 5000)).toBe(true);
      const r = await v.check({ html: '<p>two</p>' });
      expect(r._unsafeUnwrap().ok).toBe(true);
      const second = v.browserProcess();
      expect(second?.browserPid).not.toBe(first?.browserPid);
      expect(second?.launches).toBe(2);
    } finally {
      await v.close();
    }
  });

  it('keeps the process count flat over many checks', async () => {
    const v = createBrowserValidator();
    try {
      const counts: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await v.check({ html: `<h1>${i}</h1><script>console.log(${i})</script>` });
        expect(r._unsafeUnwrap().ok).toBe(true);
        if (i % 5 === 4) counts.push(descendants(v.browserProcess()?.supervisorPid ?? -1).length);
      }
      // Closed targets free their renderers: no growth from the 5th to the 20th check.
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
    } finally {
      await v.close();
    }
  });

  it('stops the browser when the parent process is killed with SIGKILL', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-holder-'));
    try {
      const bundle = path.join(dir, 'holder.cjs');
      await build({
        entryPoints: [path.join(import.meta.dirname, 'support', 'holder.ts')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        conditions: ['@yantra/source'],
        outfile: bundle,
        logLevel: 'silent',
      });
      const child = spawn(process.execPath, [bundle], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0] ?? '');
        });
        child.once('exit', (code) => reject(new Error(`holder exited early (${String(code)})`)));
      });
      const info = JSON.parse(line) as { ok: boolean; supervisorPid: number; browserPid: number; userDataDir: string };
      expect(info.ok).toBe(true);
      const tree = descendants(info.supervisorPid);
      expect(tree).toContain(info.browserPid);
      child.kill('SIGKILL');
      // Every Chromium process is gone and reaped. Only the supervisor itself may linger as a
      // zombie: orphaned by the kill, it is PID 1's to reap, and this VM's PID 1 does not.
      expect(await waitFor(() => present(tree).length === 0, 8000)).toBe(true);
      const supervisorDone = () => {
        const s = listProcs().find((p) => p.pid === info.supervisorPid);
        return s === undefined || s.state === 'Z';
      };
      expect(await waitFor(supervisorDone, 5000)).toBe(true);
      expect(existsSync(info.userDataDir)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
