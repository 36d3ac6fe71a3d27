import path from 'node:path';
import type { ResultAsync } from 'neverthrow';
import { projectStateDir, writeFileAtomic, type AtomicWriteError } from '@yantra/shared';
import type { FinalOutcome, RunEvent } from '../events.js';

/** Timings the pipeline measures itself, outside the event stream. */
export interface RunTimings {
  /** Opening (building or updating) the project graph during this run; 0 when it was already open. */
  readonly graphOpenMs: number;
  /** Graph queries: mention lookups for the intent and context ranking. */
  readonly graphQueryMs: number;
  /** LLM calls made (intent fallback plus generations). */
  readonly llmCalls: number;
}

/** The metrics of one run, kept in `<project>/.yantra/runs/<runId>.json`. */
export interface RunReport {
  readonly runId: string;
  readonly request: string;
  readonly startedAt: string;
  readonly outcome: FinalOutcome;
  /** How the intent was settled (parse or LLM fallback, and why). */
  readonly intent?: { readonly source: 'parsed' | 'llm'; readonly action: string; readonly target: string; readonly ambiguity: readonly string[]; readonly fallback?: unknown };
  readonly stages: readonly { readonly stage: string; readonly attempt: number; readonly ok: boolean; readonly ms: number }[];
  readonly gates: readonly { readonly gate: string; readonly attempt: number; readonly status: string; readonly ms: number; readonly summary: string; readonly metrics?: unknown }[];
  readonly metrics: {
    readonly graph: { readonly buildMs: number; readonly queryMs: number; readonly guardMs: number };
    readonly llm: {
      readonly calls: number;
      /** Generation time (streamed) plus the intent fallback, when asked. */
      readonly latencyMs: number;
      readonly intentMs: number;
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly costUsd: number;
    };
    readonly contextMs: number;
    readonly graphGateMs: number;
    readonly testsMs: number;
    readonly securityMs: number;
    /** The last tests gate run: pass rate over the cases run (percent), coverage, pytest's own time. */
    readonly tests: {
      readonly passed: number;
      readonly failed: number;
      readonly errors: number;
      readonly passRate: number | null;
      readonly changedLineCoverage: number | null;
      readonly coverage: number | null;
      readonly pytestMs: number;
      readonly droppedGenerated: number;
    } | null;
    /** The last security gate run: findings by severity and auto-fixes. */
    readonly security: { readonly critical: number; readonly high: number; readonly medium: number; readonly low: number; readonly fixed: number } | null;
  };
}

/** Gate details reduced to their numbers, so a run report stays small and holds no code. */
function gateMetrics(gate: string, details: unknown): unknown {
  const d = (details ?? {}) as Record<string, unknown>;
  if (gate === 'tests') {
    const r = d['report'] as
      | { passed: number; failed: number; errors: number; skipped: number; durationMs: number; coverage?: { percent: number; changed?: { percent: number } } }
      | undefined;
    if (!r) return undefined;
    const ran = r.passed + r.failed + r.errors;
    const generated = Array.isArray(d['generated']) ? (d['generated'] as { kept: boolean }[]) : [];
    return {
      passed: r.passed,
      failed: r.failed,
      errors: r.errors,
      skipped: r.skipped,
      passRate: ran === 0 ? null : Math.round((r.passed / ran) * 1000) / 10,
      durationMs: r.durationMs,
      changedLineCoverage: r.coverage?.changed?.percent ?? null,
      coverage: r.coverage?.percent ?? null,
      generatedKept: generated.filter((g) => g.kept).length,
      generatedDropped: generated.filter((g) => !g.kept).length,
    };
  }
  if (gate === 'security') {
    const counts = d['counts'] as Record<string, number> | undefined;
    return counts ? { ...counts, fixed: Array.isArray(d['fixed']) ? d['fixed'].length : 0 } : undefined;
  }
  if (gate === 'graph') return { breakages: Array.isArray(d['breakages']) ? d['breakages'].length : 0, complete: d['complete'] };
  return undefined;
}

export function buildRunReport(events: readonly RunEvent[], outcome: FinalOutcome, timings?: RunTimings): RunReport {
  const started = events.find((e) => e.type === 'run_started');
  const intentEvent = events.find((e) => e.type === 'intent');
  const stages = events.flatMap((e) => (e.type === 'stage_finished' ? [{ stage: e.stage, attempt: e.attempt, ok: e.ok, ms: e.ms }] : []));
  const gates = events.flatMap((e) =>
    e.type === 'gate'
      ? [{ gate: e.result.gate, attempt: e.attempt, status: e.result.status, ms: e.result.ms, summary: e.result.summary.slice(0, 2000), metrics: gateMetrics(e.result.gate, e.result.details) }]
      : [],
  );
  const sum = (name: string) => stages.filter((s) => s.stage === name).reduce((a, s) => a + s.ms, 0);
  const last = (name: string) => gates.filter((g) => g.gate === name && g.metrics !== undefined).at(-1)?.metrics as Record<string, number | null> | undefined;
  const t = last('tests');
  const sec = last('security');
  const intentMs = intentEvent?.type === 'intent' ? (intentEvent.fallback?.ms ?? 0) : 0;
  return {
    runId: outcome.runId,
    request: started?.type === 'run_started' ? started.request : '',
    startedAt: new Date(started?.type === 'run_started' ? started.at : Date.now()).toISOString(),
    outcome,
    ...(intentEvent?.type === 'intent'
      ? {
          intent: {
            source: intentEvent.source,
            action: intentEvent.intent.action,
            target: intentEvent.intent.target,
            ambiguity: intentEvent.ambiguity,
            ...(intentEvent.fallback ? { fallback: intentEvent.fallback } : {}),
          },
        }
      : {}),
    stages,
    gates,
    metrics: {
      graph: { buildMs: timings?.graphOpenMs ?? 0, queryMs: timings?.graphQueryMs ?? 0, guardMs: sum('graph') },
      llm: {
        calls: timings?.llmCalls ?? stages.filter((s) => s.stage === 'generate').length,
        latencyMs: sum('generate') + intentMs,
        intentMs,
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        costUsd: outcome.costUsd,
      },
      contextMs: sum('context'),
      graphGateMs: sum('graph'),
      testsMs: sum('tests'),
      securityMs: sum('security'),
      tests: t
        ? {
            passed: t['passed'] ?? 0,
            failed: t['failed'] ?? 0,
            errors: t['errors'] ?? 0,
            passRate: t['passRate'] ?? null,
            changedLineCoverage: t['changedLineCoverage'] ?? null,
            coverage: t['coverage'] ?? null,
            pytestMs: t['durationMs'] ?? 0,
            droppedGenerated: t['generatedDropped'] ?? 0,
          }
        : null,
      security: sec
        ? { critical: sec['critical'] ?? 0, high: sec['high'] ?? 0, medium: sec['medium'] ?? 0, low: sec['low'] ?? 0, fixed: sec['fixed'] ?? 0 }
        : null,
    },
  };
}

/** Writes the run's report atomically under `.yantra/runs/`. */
export function writeRunReport(projectRoot: string, report: RunReport): ResultAsync<void, AtomicWriteError> {
  return writeFileAtomic(path.join(projectStateDir(projectRoot), 'runs', `${report.runId}.json`), `${JSON.stringify(report, null, 2)}\n`);
}
