import type { CoverageDetail } from '../coverage.js';
import type { TestCaseResult } from '../report.js';

/** The verdict on one generated test function (all its parametrized cases together). */
export interface GeneratedTestVerdict {
  /** Top-level function or Test class name in the generated file. */
  readonly name: string;
  readonly nodeIds: readonly string[];
  readonly kept: boolean;
  readonly reason?: 'failed' | 'error' | 'skipped' | 'no_new_coverage' | 'not_run';
  readonly message?: string;
  readonly traceback?: string;
  /** Changed lines this test covers that neither existing tests nor earlier kept tests cover. */
  readonly newLines: readonly number[];
}

export interface KeepInput {
  /** Generated file, workspace-relative. */
  readonly testFile: string;
  /** Top-level test names in the generated file, in file order. */
  readonly names: readonly string[];
  readonly tests: readonly TestCaseResult[];
  readonly coverage: CoverageDetail | undefined;
  /** Target file (workspace-relative) and its changed lines. */
  readonly targetFile: string;
  readonly changedLines: readonly number[];
}

export interface KeepResult {
  readonly verdicts: readonly GeneratedTestVerdict[];
  /** Changed executable lines covered by existing tests or at import time. */
  readonly baseline: readonly number[];
  /** Changed executable lines. */
  readonly statements: readonly number[];
}

function topName(nodeId: string, testFile: string): string | undefined {
  if (!nodeId.startsWith(`${testFile}::`)) return undefined;
  return (nodeId.slice(testFile.length + 2).split('::')[0] ?? '').replace(/\[.*$/, '');
}

/**
 * The keep rule: a generated test stays only if every case of it passes against the new code and
 * it covers at least one changed line that the existing tests (and the tests kept before it) do not.
 */
export function applyKeepRule(input: KeepInput): KeepResult {
  const stmts = input.coverage?.statements[input.targetFile] ?? new Set<number>();
  const executed = input.coverage?.executed[input.targetFile] ?? new Set<number>();
  const contexts = input.coverage?.contexts[input.targetFile] ?? {};
  const changed = [...new Set(input.changedLines)].filter((l) => stmts.has(l)).sort((a, b) => a - b);
  const isGenerated = (ctx: string) => topName(ctx, input.testFile) !== undefined;

  const baseline = new Set<number>();
  const byTest = new Map<string, Set<number>>();
  for (const line of changed) {
    if (!executed.has(line)) continue;
    const ctxs = contexts[line] ?? [];
    // No context means the line ran at import time, before any test started.
    if (ctxs.length === 0 || ctxs.some((c) => !isGenerated(c))) {
      baseline.add(line);
      continue;
    }
    for (const c of ctxs) {
      const name = topName(c, input.testFile);
      if (name === undefined) continue;
      const set = byTest.get(name) ?? new Set<number>();
      set.add(line);
      byTest.set(name, set);
    }
  }

  const covered = new Set(baseline);
  const verdicts: GeneratedTestVerdict[] = [];
  for (const name of input.names) {
    const cases = input.tests.filter((t) => topName(t.nodeId, input.testFile) === name);
    const nodeIds = cases.map((c) => c.nodeId);
    const bad = cases.find((c) => c.outcome === 'failed' || c.outcome === 'error' || c.outcome === 'xpass');
    if (cases.length === 0) {
      verdicts.push({ name, nodeIds, kept: false, reason: 'not_run', newLines: [] });
      continue;
    }
    if (bad) {
      verdicts.push({
        name,
        nodeIds,
        kept: false,
        reason: bad.outcome === 'error' ? 'error' : 'failed',
        ...(bad.message === undefined ? {} : { message: bad.message }),
        ...(bad.traceback === undefined ? {} : { traceback: bad.traceback }),
        newLines: [],
      });
      continue;
    }
    if (cases.every((c) => c.outcome === 'skipped' || c.outcome === 'xfail')) {
      verdicts.push({ name, nodeIds, kept: false, reason: 'skipped', newLines: [] });
      continue;
    }
    const fresh = [...(byTest.get(name) ?? [])].filter((l) => !covered.has(l)).sort((a, b) => a - b);
    if (fresh.length === 0) {
      verdicts.push({ name, nodeIds, kept: false, reason: 'no_new_coverage', newLines: [] });
      continue;
    }
    fresh.forEach((l) => covered.add(l));
    verdicts.push({ name, nodeIds, kept: true, newLines: fresh });
  }
  return { verdicts, baseline: [...baseline].sort((a, b) => a - b), statements: changed };
}

/** Removes the given top-level tests (line spans, decorators included) from a module's source. */
export function pruneTests(code: string, drop: readonly { readonly start: number; readonly end: number }[]): string {
  const lines = code.split('\n');
  const gone = new Set<number>();
  for (const span of drop) for (let l = span.start; l <= span.end; l += 1) gone.add(l);
  const kept = lines.filter((_, i) => !gone.has(i + 1));
  return `${kept.join('\n').replace(/\n{3,}/g, '\n\n\n').replace(/\s+$/, '')}\n`;
}
