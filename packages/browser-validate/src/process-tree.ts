import { readdir, readFile } from 'node:fs/promises';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, plus that of reaped children (cutime + cstime), in clock ticks (100 per second). */
  readonly cpuTicks: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(f[1]), cpuTicks: [11, 12, 13, 14].reduce((a, i) => a + Number(f[i] ?? 0), 0) };
  } catch {
    return undefined;
  }
}

/**
 * Proportional set size: shared pages are split between the processes sharing them, so the
 * sum over Chromium's processes is its real footprint (RSS would count shared pages each time).
 */
async function pssBytes(pid: number): Promise<number> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(rollup);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process and all its descendants, with their memory (Linux /proc). */
export async function processTree(root: number): Promise<{ pids: number[]; pssBytes: number; cpuMs: number }> {
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const stats = (await Promise.all(names.map((n) => readStat(Number(n))))).filter((s): s is ProcStat => s !== undefined);
  const inTree = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  const members = stats.filter((s) => inTree.has(s.pid));
  const pss = await Promise.all(members.map((s) => pssBytes(s.pid)));
  return {
    pids: members.map((s) => s.pid),
    pssBytes: pss.reduce((a, b) => a + b, 0),
    cpuMs: members.reduce((a, s) => a + s.cpuTicks * 10, 0),
  };
}
