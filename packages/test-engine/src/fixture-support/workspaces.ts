import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const fixtureRoot = path.resolve(__dirname, '../../fixtures/projects');

/** Copies a fixture project into a fresh temp workspace; fixtures themselves are never touched. */
export async function workspaceFrom(name: string): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), `yantra-ws-${name}-`));
  await cp(path.join(fixtureRoot, name), ws, { recursive: true });
  return ws;
}

export async function removeAll(dirs: string[]): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Host pids whose command line contains `marker` (running ones, not zombies). */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(marker) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
