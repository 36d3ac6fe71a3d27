import { commitValidated, openRepository, type ValidationReport } from '@yantra/git-mcp';
import type { Breakage } from './gates.js';
import type { TestReport } from '@yantra/test-engine';
import type { CommitPort, GateRecord, PortError } from '../pipeline/ports.js';

/** The gate records of a run, as the commit gate's plain-JSON validation report. */
export function validationReport(runId: string, request: string, files: readonly string[], gates: readonly GateRecord[]): ValidationReport {
  const by = (name: GateRecord['gate']) => gates.find((g) => g.gate === name);
  const graph = by('graph');
  const tests = by('tests');
  const security = by('security');
  const browser = by('browser');
  const testReport = (tests?.details as { report?: TestReport } | undefined)?.report;
  const counts = (security?.details as { counts?: ValidationReport['security'] } | undefined)?.counts ?? { critical: 0, high: 0, medium: 0, low: 0 };
  const breakages = ((graph?.details as { breakages?: readonly Breakage[] } | undefined)?.breakages ?? []).map((b) => ({
    kind: b.kind,
    message: b.explanation,
    ...(b.sites[0] ? { file: b.sites[0].file } : {}),
  }));
  return {
    runId,
    request,
    files: [...files],
    graph: { status: !graph ? 'skipped' : graph.status === 'passed' ? 'complete' : graph.status === 'skipped' ? 'skipped' : 'failed', breakages },
    tests: {
      passed: testReport?.passed ?? 0,
      failed: testReport?.failed ?? 0,
      errors: testReport?.errors ?? 0,
      skipped: testReport?.skipped ?? 0,
      changedLineCoverage: testReport?.coverage?.changed?.percent ?? null,
    },
    security: counts,
    ...(browser && browser.status !== 'skipped' ? { browser: { ran: true, passed: browser.status === 'passed' } } : {}),
  };
}

/** Commits through git-mcp's gate: only a report with every gate green becomes a commit. */
export function gitCommitPort(options: { readonly requireTests?: boolean } = {}): CommitPort {
  return {
    commit: ({ projectRoot, runId, request, files, gates }) =>
      openRepository(projectRoot)
        .andThen((repo) =>
          commitValidated(repo, { files: files.map((f) => f.path), request }, validationReport(runId, request, files.map((f) => f.path), gates), {
            requireTests: options.requireTests ?? true,
          }),
        )
        .map((c) => ({ sha: c.sha, message: c.message }))
        .mapErr((e): PortError => ({ kind: e.kind, message: e.message })),
  };
}
