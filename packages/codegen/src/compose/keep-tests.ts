import type { CoverageDetail, TestCaseResult } from '@yantra/test-engine';
import { isTestPath } from './changed-lines.js';

/**
 * The verdict on one test file the model wrote. The unit is the file: a model's edit block
 * creates it whole, and dropping it whole keeps the commit free of half-pruned modules.
 */
export interface GeneratedTestFileVerdict {
  readonly path: string;
  readonly kept: boolean;
  /** Why it is not kept: a case failed or errored, every case skipped, or it covers no changed line that other tests miss. */
  readonly reason?: 'failed' | 'skipped' | 'no_new_coverage' | 'not_run';
  /** The failing case's message when `reason` is `failed`. */
  readonly message?: string;
  readonly nodeIds: readonly string[];
  /** Changed lines (`file:line`) that only this file's tests cover (and no file kept before it). */
  readonly newLines: readonly string[];
}

export interface KeepGeneratedInput {
  /** The model's new test files, workspace-relative, in the order they are judged. */
  readonly generated: readonly string[];
  readonly tests: readonly TestCaseResult[];
  /** Line coverage with per-test contexts (`perTestCoverage`); undefined when coverage failed. */
  readonly coverage: CoverageDetail | undefined;
  /**
   * Changed lines per code file. When the change touches no code (a tests-only change), every
   * statement of the project's non-test files counts, so a new test must cover something the
   * existing tests do not.
   */
  readonly changedLines: Readonly<Record<string, readonly number[]>>;
}

const fileOf = (nodeId: string) => nodeId.split('::')[0] as string;

/**
 * The test-engine keep rule, applied to the model's own test files: a file stays only if every
 * case in it passes against the new code and it covers at least one changed line that neither
 * the existing tests, nor import-time execution, nor the generated files kept before it cover.
 */
export function keepGeneratedTests(input: KeepGeneratedInput): GeneratedTestFileVerdict[] {
  const generated = new Set(input.generated);
  // Without any per-test context (contexts not recorded) there is no evidence of who covered what:
  // judge as if coverage were missing rather than drop every new test.
  const withContexts = Object.values(input.coverage?.contexts ?? {}).some((f) => Object.values(f).some((c) => c.length > 0));
  const cov = withContexts ? input.coverage : undefined;
  const targets: Record<string, readonly number[]> =
    Object.keys(input.changedLines).length > 0 || !cov
      ? input.changedLines
      : Object.fromEntries(Object.entries(cov.statements).filter(([f]) => !isTestPath(f)).map(([f, s]) => [f, [...s]]));

  const baseline = new Set<string>();
  const byFile = new Map<string, Set<string>>();
  if (cov) {
    for (const [file, lines] of Object.entries(targets)) {
      const stmts = cov.statements[file];
      const executed = cov.executed[file];
      const contexts = cov.contexts[file] ?? {};
      for (const line of lines) {
        if (!stmts?.has(line) || !executed?.has(line)) continue;
        const key = `${file}:${line}`;
        const ctxs = contexts[line] ?? [];
        // No context: the line ran at import time, before any test; any existing test covering it makes it old news.
        if (ctxs.length === 0 || ctxs.some((c) => !generated.has(fileOf(c)))) {
          baseline.add(key);
          continue;
        }
        for (const c of ctxs) {
          const set = byFile.get(fileOf(c)) ?? new Set<string>();
          set.add(key);
          byFile.set(fileOf(c), set);
        }
      }
    }
  }

  const covered = new Set(baseline);
  return input.generated.map((p): GeneratedTestFileVerdict => {
    const cases = input.tests.filter((t) => fileOf(t.nodeId) === p);
    const nodeIds = cases.map((c) => c.nodeId);
    if (cases.length === 0) return { path: p, kept: false, reason: 'not_run', nodeIds, newLines: [] };
    const bad = cases.find((c) => c.outcome === 'failed' || c.outcome === 'error' || c.outcome === 'xpass');
    if (bad) return { path: p, kept: false, reason: 'failed', message: `${bad.nodeId}: ${bad.message ?? bad.outcome}`, nodeIds, newLines: [] };
    if (cases.every((c) => c.outcome === 'skipped' || c.outcome === 'xfail')) return { path: p, kept: false, reason: 'skipped', nodeIds, newLines: [] };
    // Without coverage there is no evidence against the file: keep it rather than drop a passing test blindly.
    if (!cov) return { path: p, kept: true, nodeIds, newLines: [] };
    const fresh = [...(byFile.get(p) ?? [])].filter((k) => !covered.has(k)).sort();
    if (fresh.length === 0) return { path: p, kept: false, reason: 'no_new_coverage', nodeIds, newLines: [] };
    fresh.forEach((k) => covered.add(k));
    return { path: p, kept: true, nodeIds, newLines: fresh };
  });
}
