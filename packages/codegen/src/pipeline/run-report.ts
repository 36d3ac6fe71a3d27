import path from 'node:path';
import type { ResultAsync } from 'neverthrow';
import { projectStateDir, writeFileAtomic, type AtomicWriteError } from '@yantra/shared';
import type { FinalOutcome, RunEvent } from '../events.js';

/** The metrics of one run, kept in `<project>/.yantra/runs/<runId>.json`. */
export interface RunReport {
  readonly runId: string;
  readonly request: string;
  readonly startedAt: string;
  readonly outcome: FinalOutcome;
  readonly stages: readonly { readonly stage: string; readonly attempt: number; readonly ok: boolean; readonly ms: number }[];
  readonly gates: readonly { readonly gate: string; readonly attempt: number; readonly status: string; readonly ms: number; readonly summary: string; readonly metrics?: unknown }[];
  readonly metrics: {
    readonly llm: { readonly latencyMs: number; readonly inputTokens: number; readonly outputTokens: number; readonly costUsd: number };
    readonly contextMs: number;
    readonly graphGateMs: number;
    readonly testsMs: number;
    readonly securityMs: number;
  };
}

/** Gate details reduced to their numbers, so a run report stays small and holds no code. */
function gateMetrics(gate: string, details: unknown): unknown {
  const d = (details ?? {}) as Record<string, unknown>;
  if (gate === 'tests') {
    const r = d['report'] as
      | { passed: number; failed: number; errors: number; skipped: number; durationMs: number; coverage?: { changed?: { percent: number } } }
      | undefined;
    return r ? { passed: r.passed, failed: r.failed, errors: r.errors, skipped: r.skipped, durationMs: r.durationMs, changedLineCoverage: r.coverage?.changed?.percent ?? null } : undefined;
  }
  if (gate === 'security') return d['counts'];
  if (gate === 'graph') return { breakages: Array.isArray(d['breakages']) ? d['breakages'].length : 0, complete: d['complete'] };
  return undefined;
}

export function buildRunReport(events: readonly RunEvent[], outcome: FinalOutcome): RunReport {
  const started = events.find((e) => e.type === 'run_started');
  const stages = events.flatMap((e) => (e.type === 'stage_finished' ? [{ stage: e.stage, attempt: e.attempt, ok: e.ok, ms: e.ms }] : []));
  const gates = events.flatMap((e) =>
    e.type === 'gate'
      ? [{ gate: e.result.gate, attempt: e.attempt, status: e.result.status, ms: e.result.ms, summary: e.result.summary.slice(0, 2000), metrics: gateMetrics(e.result.gate, e.result.details) }]
      : [],
  );
  const sum = (name: string) => stages.filter((s) => s.stage === name).reduce((a, s) => a + s.ms, 0);
  return {
    runId: outcome.runId,
    request: started?.type === 'run_started' ? started.request : '',
    startedAt: new Date(started?.type === 'run_started' ? started.at : Date.now()).toISOString(),
    outcome,
    stages,
    gates,
    metrics: {
      llm: { latencyMs: sum('generate'), inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens, costUsd: outcome.costUsd },
      contextMs: sum('context'),
      graphGateMs: sum('graph'),
      testsMs: sum('tests'),
      securityMs: sum('security'),
    },
  };
}

/** Writes the run's report atomically under `.yantra/runs/`. */
export function writeRunReport(projectRoot: string, report: RunReport): ResultAsync<void, AtomicWriteError> {
  return writeFileAtomic(path.join(projectStateDir(projectRoot), 'runs', `${report.runId}.json`), `${JSON.stringify(report, null, 2)}\n`);
}
