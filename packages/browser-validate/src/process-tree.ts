import { readdir, readFile } from 'node:fs/promises';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly rssKb: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 24 of stat (index 21 after the comm) is the resident set in pages.
    const rssPages = Number(f[21] ?? 0);
    return { pid, ppid: Number(f[1]), rssKb: (rssPages * 4096) / 1024 };
  } catch {
    return undefined;
  }
}

/** A process and all its descendants, with their resident memory (Linux /proc). */
export async function processTree(root: number): Promise<{ pids: number[]; rssBytes: number }> {
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
  return { pids: members.map((s) => s.pid), rssBytes: Math.round(members.reduce((a, s) => a + s.rssKb * 1024, 0)) };
}
