import { ResultAsync } from 'neverthrow';
import { describeUnknown, settle } from '@yantra/shared';
import type { LearningStore, MistakeInput } from '@yantra/learning';
import type { Finding } from '@yantra/security';
import type { TestReport } from '@yantra/test-engine';
import type { FileChange } from '../edits/change.js';
import type { MemoryPort, PortError } from '../pipeline/ports.js';
import type { Breakage } from './gates.js';

function codeOf(files: readonly FileChange[], file?: string): { generatedCode?: string; filePath?: string } {
  const f = (file ? files.find((x) => x.path === file) : undefined) ?? files[0];
  return f ? { generatedCode: f.after, filePath: f.path } : {};
}

/** Turns a failing gate's details into the learning package's evidence records. */
export function mistakesFrom(input: Parameters<MemoryPort['record']>[0]): MistakeInput[] {
  const base = { model: input.model, projectPath: input.projectRoot };
  const details = (input.details ?? {}) as { report?: TestReport; findings?: readonly Finding[]; breakages?: readonly Breakage[] };
  switch (input.gate) {
    case 'tests':
      return (details.report?.tests ?? [])
        .filter((t) => t.outcome === 'failed' || t.outcome === 'error')
        .slice(0, 5)
        .map((t) => ({
          ...base,
          ...codeOf(input.files),
          source: 'test' as const,
          failure: t,
        }));
    case 'security':
      return (details.findings ?? [])
        .filter((f) => f.severity === 'critical' || f.severity === 'high')
        .map((f) => ({
          ...base,
          ...codeOf(input.files, f.file),
          source: 'security' as const,
          finding: f,
        }));
    case 'graph':
      return (details.breakages ?? []).map((b) => ({
        ...base,
        ...codeOf(input.files),
        source: 'graph' as const,
        breakage: { kind: b.kind, symbol: b.symbol, message: b.explanation, ...(b.sites[0] ? { file: b.sites[0].file, line: b.sites[0].line } : {}) },
      }));
    default:
      return [
        {
          ...base,
          ...codeOf(input.files),
          source: 'manual' as const,
          category: input.gate === 'syntax' ? 'syntax' : 'other',
          severity: 'major',
          description: input.summary.slice(0, 500),
        },
      ];
  }
}

/** Adapts the learning store: verified failures are recorded, and retrieval feeds the prompt. */
export function learningPort(store: () => ResultAsync<LearningStore, PortError>): MemoryPort {
  return {
    retrieve: ({ request, model }) =>
      store().andThen((s) =>
        s
          .retrieve(request, model === 'unknown' ? undefined : model, { k: 5, minSimilarity: 0.6 })
          .map((patterns) => (patterns.length > 0 ? s.buildMistakeContext(patterns) : ''))
          .mapErr((e): PortError => ({ kind: e.kind, message: e.message })),
      ),
    record: (input) =>
      store().andThen((s) =>
        ResultAsync.fromPromise(
          (async () => {
            for (const m of mistakesFrom(input)) {
              const r = await settle(s.record(m));
              if (!r.ok) throw new Error(r.error.message);
            }
          })(),
          (e): PortError => ({ kind: 'record_failed', message: describeUnknown(e) }),
        ),
      ),
  };
}
