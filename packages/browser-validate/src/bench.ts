import os from 'node:os';
import type { Logger } from '@yantra/shared';
import { processTree } from './process-tree.js';
import { createBrowserValidator } from './validator.js';

export interface BenchOptions {
  readonly chromePath?: string;
  /** Warm checks timed for p50/p99. Default 50. */
  readonly warmChecks?: number;
  /** Checks run before counting browser processes again, to spot leaks. Default 200. */
  readonly leakChecks?: number;
  readonly logger?: Logger;
  readonly progress?: (label: string, done: number, total: number) => void;
}

export interface BenchReport {
  /** `load1` is the 1-minute load average when the bench ended: other work on the machine inflates the times. */
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string; readonly load1: number };
  /** Launch plus the first check of the small page. */
  readonly coldStartMs: number;
  /** `cpuMsPerCheck`: CPU time of Node plus the browser per warm check, which load on the machine does not inflate. */
  readonly warm: { readonly checks: number; readonly p50Ms: number; readonly p99Ms: number; readonly meanMs: number; readonly cpuMsPerCheck: number };
  readonly memory: { readonly browserPssMb: number; readonly nodeRssMb: number; readonly browserProcesses: number };
  readonly leak: { readonly checks: number; readonly processesBefore: number; readonly processesAfter: number; readonly leftAfterClose: number };
}

const SMALL_PAGE = {
  html: '<!doctype html><html><head><link rel="stylesheet" href="s.css"></head><body><h1>Bench</h1><ul id="l"></ul><script src="a.js"></script></body></html>',
  files: {
    's.css': 'body { font-family: sans-serif } h1 { color: rgb(20, 40, 60) }',
    'a.js': "document.getElementById('l').innerHTML = [1, 2, 3].map((i) => `<li>${i}</li>`).join(''); console.log('ready');",
  },
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (n: number) => Math.round(n * 10) / 10;

function cpuMsOfNode(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Measures cold start, warm check latency, memory and process leaks on this machine. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const warmChecks = options.warmChecks ?? 50;
  const leakChecks = options.leakChecks ?? 200;
  const progress = options.progress ?? (() => {});
  const v = createBrowserValidator({ ...(options.chromePath ? { chromePath: options.chromePath } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  let supervisor = -1;
  let tree: number[] = [];
  try {
    const coldStart = performance.now();
    await v.check(SMALL_PAGE).match(
      () => undefined,
      (e) => {
        throw new Error(`cold check failed: ${e.message}`);
      },
    );
    const coldStartMs = performance.now() - coldStart;
    supervisor = v.browserProcess()?.supervisorPid ?? -1;

    const cpuBefore = (await processTree(supervisor)).cpuMs + cpuMsOfNode();
    const times: number[] = [];
    for (let i = 0; i < warmChecks; i++) {
      const t = performance.now();
      const passed = await v.check(SMALL_PAGE).match(
        (r) => r.ok,
        () => false,
      );
      if (!passed) throw new Error(`warm check ${i} failed`);
      times.push(performance.now() - t);
      progress('warm checks', i + 1, warmChecks);
    }
    times.sort((a, b) => a - b);
    const mem = await processTree(supervisor);
    const cpuMsPerCheck = (mem.cpuMs + cpuMsOfNode() - cpuBefore) / Math.max(1, warmChecks);

    const before = mem.pids.length;
    for (let i = 0; i < leakChecks; i++) {
      await v.check(SMALL_PAGE).match(
        () => undefined,
        (e) => {
          throw new Error(`leak check ${i} failed: ${e.message}`);
        },
      );
      progress('leak checks', i + 1, leakChecks);
    }
    const after = await processTree(supervisor);
    tree = after.pids;
    await v.close();
    const left = (await processTree(1)).pids.filter((p) => tree.includes(p)).length;
    return {
      machine: { cpus: os.cpus().length, node: process.version, platform: `${process.platform} ${process.arch}`, load1: round(os.loadavg()[0] ?? 0) },
      coldStartMs: round(coldStartMs),
      warm: {
        checks: warmChecks,
        p50Ms: round(percentile(times, 50)),
        p99Ms: round(percentile(times, 99)),
        meanMs: round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
        cpuMsPerCheck: round(cpuMsPerCheck),
      },
      memory: {
        browserPssMb: round(mem.pssBytes / 1024 / 1024),
        nodeRssMb: round(process.memoryUsage().rss / 1024 / 1024),
        browserProcesses: mem.pids.length,
      },
      leak: { checks: leakChecks, processesBefore: before, processesAfter: tree.length, leftAfterClose: left },
    };
  } finally {
    await v.close();
  }
}
