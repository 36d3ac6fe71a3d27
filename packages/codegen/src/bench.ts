import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { okAsync } from 'neverthrow';
import { settle } from '@yantra/shared';
import { createGraphEngine } from '@yantra/gnn';
import { createScanner } from '@yantra/security';
import { graphContextPort, graphSymbolIndex } from './compose/context.js';
import { createGraphGate, createSecurityGate } from './compose/gates.js';
import type { RunEvent } from './events.js';
import { createSyntaxGate } from './gates/syntax.js';
import type { LlmPort, PortError } from './pipeline/ports.js';
import { createPipeline } from './pipeline/run.js';
import type { Toolchain } from './toolchain.js';

export interface CodegenBenchOptions {
  readonly project: string;
  /** A reply in the edit format, replayed instantly in place of the model. */
  readonly replyFile: string;
  readonly toolchain: Toolchain;
  readonly runs?: number;
  /** The request each run makes. Default: the shipping request the reply answers. */
  readonly request?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CodegenBenchReport {
  readonly project: string;
  readonly loc: number;
  readonly files: number;
  readonly runs: number;
  /** Building the project graph from scratch (`yantra init`, once per project), median. */
  readonly graphBuildMs: number;
  /** Per stage: median milliseconds over the runs. */
  readonly stageMs: Record<string, number>;
  /** The context stage alone: mention lookups, gnn rankContext and rendering (target ≤ 100 ms on 50k LOC). */
  readonly contextMs: number;
  /**
   * Everything but the LLM and pytest, per attempt (median of the run's wall time minus
   * generation): intent, context, the shadow copy, edits, syntax, graph and security gates.
   */
  readonly overheadMs: number;
  readonly overheadWithoutSecurityMs: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor(s.length / 2)] as number);
}

const SKIP_COPY = /\/(\.git|\.yantra|\.venv|node_modules|__pycache__)$/;

/**
 * The pipeline's own cost per attempt: intent, context, shadow workspace, edits, syntax, graph
 * and security gates, with an instant scripted model and without pytest. Each run gets a fresh
 * copy of the project whose graph is built first (timed apart, as `yantra init` does it once).
 */
export async function runCodegenBench(options: CodegenBenchOptions): Promise<CodegenBenchReport> {
  const runs = options.runs ?? 5;
  const reply = readFileSync(options.replyFile, 'utf8');
  const llm: LlmPort = {
    complete: () => okAsync({ text: reply, provider: 'bench', model: 'instant', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 }),
  };
  const samples: Record<string, number[]> = {};
  const builds: number[] = [];
  const overheads: number[] = [];
  let loc = 0;
  let files = 0;
  // One scanner for all runs, as one pipeline keeps one for its whole life.
  const scanner = createScanner({ semgrepPath: options.toolchain.semgrep, python: options.toolchain.python });
  const work = await mkdtemp(path.join(os.tmpdir(), 'yantra-bench-'));
  try {
    for (let i = 0; i < runs; i++) {
      const project = path.join(work, `p${i}`);
      await cp(options.project, project, { recursive: true, filter: (s) => !SKIP_COPY.test(s) });
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: project });
      const engine = createGraphEngine({ root: project });
      const t0 = performance.now();
      const opened = await settle(engine.open());
      if (!opened.ok) throw new Error(opened.error.message);
      builds.push(performance.now() - t0);
      ({ loc, files } = engine.stats());
      const projectGraph = () => okAsync<typeof engine, PortError>(engine);
      const pipeline = createPipeline({
        llm,
        gates: [createSyntaxGate({ python: options.toolchain.python }), createGraphGate({ projectGraph }), createSecurityGate({ scanner })],
        context: graphContextPort(projectGraph),
        symbols: graphSymbolIndex(projectGraph),
        recordRuns: false,
      });
      const events: RunEvent[] = [];
      const outcome = await pipeline.run(
        { projectRoot: project, request: options.request ?? 'calculate shipping cost from weight and distance', noCommit: true },
        { onEvent: (e) => events.push(e) },
      );
      engine.close();
      if (outcome.status !== 'validated') throw new Error(`bench run was ${outcome.status}: ${outcome.reason ?? ''}`);
      let generate = 0;
      for (const e of events) {
        if (e.type !== 'stage_finished') continue;
        (samples[e.stage] ??= []).push(e.ms);
        if (e.stage === 'generate') generate += e.ms;
      }
      overheads.push(outcome.ms - generate);
      options.onProgress?.(i + 1, runs);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const stageMs = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const overheadMs = median(overheads);
  return {
    project: options.project,
    loc,
    files,
    runs,
    graphBuildMs: Math.round(median(builds)),
    stageMs,
    contextMs: stageMs['context'] ?? 0,
    overheadMs,
    overheadWithoutSecurityMs: overheadMs - (stageMs['security'] ?? 0),
  };
}

/** Standard-library packages, in the order they are taken, for a realistic large project. */
const LARGE_PACKAGES = [
  'asyncio', 'email', 'xml', 'multiprocessing', 'unittest', 'importlib', 'http', 'logging', 'urllib', 'html',
  'xmlrpc', 'concurrent', 'ctypes', 'wsgiref', 'json', 'zoneinfo', 'tomllib', 'dbm', 'sqlite3',
];

async function pyFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['test', 'tests', '__pycache__', 'idle_test'].includes(entry.name)) out.push(...(await pyFiles(full)));
    } else if (entry.name.endsWith('.py')) out.push(full);
  }
  return out;
}

const lineCount = (text: string) => text.split('\n').length;

/**
 * Assembles a project of at least `loc` lines of Python at bench time: the sample project plus
 * whole standard-library packages from `stdlibDir` (tests left out). Nothing is committed.
 * Returns the project folder, inside `into`.
 */
export async function assembleLargeProject(options: { readonly sample: string; readonly stdlibDir: string; readonly loc: number; readonly into: string }): Promise<{ dir: string; loc: number; packages: string[] }> {
  const dir = path.join(options.into, 'large-project');
  await cp(options.sample, dir, { recursive: true, filter: (s) => !SKIP_COPY.test(s) });
  let loc = 0;
  for (const f of await pyFiles(dir)) loc += lineCount(await readFile(f, 'utf8'));
  const packages: string[] = [];
  for (const pkg of LARGE_PACKAGES) {
    if (loc >= options.loc) break;
    const src = path.join(options.stdlibDir, pkg);
    const info = await stat(src).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const list = await pyFiles(src);
    for (const f of list) {
      const rel = path.relative(options.stdlibDir, f);
      await cp(f, path.join(dir, rel));
      loc += lineCount(await readFile(f, 'utf8'));
    }
    packages.push(pkg);
  }
  if (loc < options.loc) throw new Error(`only ${loc} lines of Python under ${options.stdlibDir}; need ${options.loc}`);
  return { dir, loc, packages };
}

/** The tool interpreter's standard library folder. */
export function stdlibDirOf(python: string): string {
  return execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } }).trim();
}
