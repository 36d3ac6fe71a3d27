import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly state: string;
  readonly comm: string;
  readonly cmdline: string;
}

/** Every process on the machine, from /proc. */
export function listProcs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), ppid: Number(f[1]), pgid: Number(f[2]), state: f[0] ?? '?', comm, cmdline });
    } catch {
      // The process exited while we looked.
    }
  }
  return out;
}

/** Processes (zombies included) that belong to a browser: its group, or its profile on the command line. */
export function browserProcs(pgid: number, userDataDir: string): Proc[] {
  return listProcs().filter((p) => p.pgid === pgid || p.cmdline.includes(userDataDir));
}

export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
