import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { okAsync } from 'neverthrow';
import { settle } from '@yantra/shared';
import { createGraphEngine } from '@yantra/gnn';
import { createScanner } from '@yantra/security';
import { graphContextPort } from './compose/context.js';
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
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CodegenBenchReport {
  readonly project: string;
  readonly loc: number;
  readonly runs: number;
  /** Per stage: median milliseconds over the runs. */
  readonly stageMs: Record<string, number>;
  /** Everything but the LLM and pytest, per attempt (median). */
  readonly overheadMs: number;
  readonly overheadWithoutSecurityMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor(s.length / 2)] as number);
}

/**
 * The pipeline's own cost per attempt: intent, context, edits, shadow workspace, syntax, graph
 * and security gates and the apply, with an instant scripted model and without pytest.
 */
export async function runCodegenBench(options: CodegenBenchOptions): Promise<CodegenBenchReport> {
  const runs = options.runs ?? 5;
  const reply = readFileSync(options.replyFile, 'utf8');
  const llm: LlmPort = {
    complete: () => okAsync({ text: reply, provider: 'bench', model: 'instant', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 }),
  };
  const samples: Record<string, number[]> = {};
  let loc = 0;
  const work = await mkdtemp(path.join(os.tmpdir(), 'yantra-bench-'));
  try {
    for (let i = 0; i < runs; i++) {
      const project = path.join(work, `p${i}`);
      await cp(options.project, project, { recursive: true, filter: (s) => !/\/(\.git|\.yantra|\.venv|node_modules)$/.test(s) });
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: project });
      const engine = createGraphEngine({ root: project });
      const opened = await settle(engine.open());
      if (!opened.ok) throw new Error(opened.error.message);
      loc = engine.stats().loc;
      const projectGraph = () => okAsync<typeof engine, PortError>(engine);
      const pipeline = createPipeline({
        llm,
        gates: [
          createSyntaxGate({ python: options.toolchain.python }),
          createGraphGate({ projectGraph }),
          createSecurityGate({ scanner: createScanner({ semgrepPath: options.toolchain.semgrep, python: options.toolchain.python }) }),
        ],
        context: graphContextPort(projectGraph),
      });
      const events: RunEvent[] = [];
      const outcome = await pipeline.run({ projectRoot: project, request: 'calculate shipping cost from weight and distance', noCommit: true }, { onEvent: (e) => events.push(e) });
      engine.close();
      if (outcome.status !== 'validated') throw new Error(`bench run was ${outcome.status}: ${outcome.reason ?? ''}`);
      for (const e of events) if (e.type === 'stage_finished') (samples[e.stage] ??= []).push(e.ms);
      options.onProgress?.(i + 1, runs);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const stageMs = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const overheadMs = Object.entries(stageMs)
    .filter(([k]) => k !== 'generate')
    .reduce((a, [, v]) => a + v, 0);
  return { project: options.project, loc, runs, stageMs, overheadMs, overheadWithoutSecurityMs: overheadMs - (stageMs['security'] ?? 0) };
}
