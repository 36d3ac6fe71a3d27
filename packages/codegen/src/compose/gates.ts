import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { okAsync, ResultAsync } from 'neverthrow';
import { settle } from '@yantra/shared';
import type { BrowserValidator } from '@yantra/browser-validate';
import { validateChange, type Breakage, type GraphEngine } from '@yantra/gnn';
import { gate as securityGate, type Scanner } from '@yantra/security';
import { createTestRunner, type DetailedRun, type TestReport } from '@yantra/test-engine';
import type { Gate, GateContext, GateVerdict, PortError } from '../pipeline/ports.js';
import { changedCodeLines, isTestModule, isTestPath } from './changed-lines.js';
import { keepGeneratedTests } from './keep-tests.js';

/** One way the change breaks existing code, as the gnn guard reports it. */
export type { Breakage };

/**
 * The graph gate: gnn's breaking-change guard compares the project's graph (persisted in
 * `.yantra/graph.db`) with the shadow workspace: removed or renamed symbols still referenced,
 * signatures incompatible with call sites, broken overrides, unresolved names and imports,
 * removed modules, changed return shapes and syntax errors, each with every affected site.
 */
export function createGraphGate(options: { readonly projectGraph: () => ResultAsync<GraphEngine, PortError> }): Gate {
  return {
    name: 'graph',
    run: (ctx) =>
      options.projectGraph().andThen((before) =>
        validateChange({ before, shadowRoot: ctx.shadowRoot, changedFiles: ctx.files.map((f) => f.path) })
          .mapErr((e): PortError => ({ kind: e.kind, message: e.message }))
          .map((result): GateVerdict => {
            const details = { breakages: result.breakages, complete: result.complete, ms: result.ms };
            if (result.breakages.length > 0) {
              const lines = result.breakages.map(
                (b) => `${b.explanation}${b.sites.length > 0 ? ` (at ${b.sites.slice(0, 5).map((s) => `${s.file}:${s.line}`).join(', ')})` : ''}`,
              );
              return { status: 'failed', summary: lines.join('\n'), details };
            }
            return { status: 'passed', summary: `no breakages (${result.ms.toFixed(0)} ms${result.complete ? '' : ', incomplete'})`, details };
          }),
      ),
  };
}

/** The project's tests that the change can affect, plus the test files the change adds or edits. */
export function selectTests(graph: GraphEngine | undefined, ctx: GateContext): string[] {
  const tests = new Set<string>();
  for (const f of ctx.files) if (isTestPath(f.path) && f.path.endsWith('.py')) tests.add(f.path);
  if (graph) {
    const changed = new Set(ctx.files.map((f) => f.path));
    const ids = graph.find({ prefix: '', limit: Number.MAX_SAFE_INTEGER }).filter((n) => changed.has(n.file)).map((n) => n.id);
    for (const t of graph.impact(ids).tests) {
      const file = t.split('::')[0] as string;
      if (existsSync(path.join(ctx.shadowRoot, file))) tests.add(t);
    }
  }
  return [...tests];
}

/** Node ids of the failing cases, marked as the model's own tests or existing oracles. */
function failureLines(report: TestReport, generated: ReadonlySet<string>): string[] {
  return report.tests
    .filter((t) => t.outcome === 'failed' || t.outcome === 'error')
    .slice(0, 5)
    .map((t) => {
      const whose = generated.has(t.nodeId.split('::')[0] as string) ? 'generated test' : 'existing test';
      return `- ${whose} ${t.nodeId}: ${t.message ?? ''}\n${(t.traceback ?? '').split('\n').slice(-12).join('\n')}`;
    });
}

function testVerdict(run: DetailedRun, selected: readonly string[], ctx: GateContext, changedLines: Record<string, number[]>): GateVerdict {
  const report = run.report;
  const generatedPaths = ctx.files.filter((f) => f.before === null && isTestModule(f.path)).map((f) => f.path);
  const generated = new Set(generatedPaths);
  const cov = report.coverage?.changed;
  const covText = cov ? `, changed-line coverage ${cov.percent.toFixed(0)}%` : '';
  const scope = selected.length > 0 ? `${selected.length} selected` : 'whole suite';
  if (report.runnerError && report.runnerError.kind !== 'no_tests') {
    return {
      status: 'failed',
      summary: `pytest could not run the tests (${report.runnerError.kind}): ${report.runnerError.message}\n${report.runnerError.outputTail ?? ''}`.trim(),
      details: { report },
    };
  }
  const verdicts = generatedPaths.length > 0 ? keepGeneratedTests({ generated: generatedPaths, tests: report.tests, coverage: run.coverage, changedLines }) : [];
  const failing = report.tests.filter((t) => t.outcome === 'failed' || t.outcome === 'error');
  if (failing.length > 0) {
    return {
      status: 'failed',
      summary: [
        `${failing.length} test(s) failed (${report.passed} passed; ${scope}). Decide whether the code or the new test is wrong; existing tests are the oracle.`,
        ...failureLines(report, generated),
      ].join('\n'),
      details: { report, generated: verdicts },
    };
  }
  const dropped = verdicts.filter((v) => !v.kept);
  const droppedText = dropped.map((v) => `${v.path} (${v.reason === 'no_new_coverage' ? 'covers no changed line the other tests miss' : (v.reason ?? 'not kept')})`);
  const codeLeft = ctx.files.some((f) => !dropped.some((d) => d.path === f.path));
  if (dropped.length > 0 && !codeLeft) {
    return {
      status: 'failed',
      summary: `Every test file in the change adds nothing: ${droppedText.join('; ')}. Write tests that exercise behaviour the existing tests do not cover.`,
      details: { report, generated: verdicts },
    };
  }
  return {
    status: 'passed',
    summary: `${report.passed} passed, ${report.skipped} skipped (${scope})${covText}${dropped.length > 0 ? `; dropped generated ${droppedText.join('; ')}` : ''}`,
    details: { report, generated: verdicts },
    ...(dropped.length > 0 ? { dropped: dropped.map((v) => ({ path: v.path, reason: v.reason ?? 'no_new_coverage', tests: v.nodeIds })) } : {}),
  };
}

/**
 * Existing tests as read-only oracles plus the change's own tests, under real pytest with
 * coverage. The model's new test files go through the keep rule: a failing one fails the gate
 * (and goes back to the model), a passing one that covers no changed line is dropped from the change.
 */
export function createTestsGate(options: {
  readonly toolsPython: string;
  readonly projectGraph: () => ResultAsync<GraphEngine, PortError>;
  readonly timeoutMs?: number;
}): Gate {
  // One runner per pipeline: interpreter and sandbox probes are cached across repair attempts.
  const runner = createTestRunner({ toolsPython: options.toolsPython, timeoutMs: options.timeoutMs ?? 300_000 });
  return {
    name: 'tests',
    run: (ctx) =>
      ResultAsync.fromSafePromise(settle(options.projectGraph())).andThen((graph) => {
        const changedLines = changedCodeLines(ctx.files);
        const hasGenerated = ctx.files.some((f) => f.before === null && isTestModule(f.path));
        // A tests-only change is judged against the whole suite: its tests must cover what no existing test does.
        const testsOnly = Object.keys(changedLines).length === 0;
        const selected = testsOnly ? [] : selectTests(graph.ok ? graph.value : undefined, ctx);
        return runner
          .runDetailed({
            workspace: ctx.shadowRoot,
            ...(selected.length > 0 ? { tests: selected } : {}),
            changedLines,
            coverage: true,
            perTestCoverage: hasGenerated,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          })
          .map((run) => testVerdict(run, selected, ctx, changedLines))
          .mapErr((e): PortError => ({ kind: e.kind, message: e.message }));
      }),
  };
}

/** Semgrep, secrets and dependency audit on the changed files, with verified auto-fix in the shadow. */
export function createSecurityGate(options: { readonly scanner: Scanner; readonly blockOn?: 'critical' | 'high' }): Gate {
  return {
    name: 'security',
    run: (ctx) => {
      const paths = ctx.files.map((f) => f.path).filter((p) => existsSync(path.join(ctx.shadowRoot, p)));
      if (paths.length === 0) return okAsync({ status: 'skipped', summary: 'no files to scan' });
      const deps = paths.some((p) => /(^|\/)(requirements[^/]*\.txt|pyproject\.toml|poetry\.lock|Pipfile\.lock|setup\.cfg)$/.test(p));
      return options.scanner
        .scan({ root: ctx.shadowRoot, paths, fix: true, deps })
        .mapErr((e): PortError => ({ kind: e.kind, message: e.message }))
        .map((report): GateVerdict => {
          const verdict = securityGate(report.findings, { blockOn: options.blockOn ?? 'critical' });
          const fixedFiles = [...new Set(report.fixed.map((f) => f.file))];
          const rewritten = fixedFiles.map((p) => ({ path: p, after: readFileSync(path.join(ctx.shadowRoot, p), 'utf8') }));
          const counts = { critical: 0, high: 0, medium: 0, low: 0 };
          for (const f of report.findings) counts[f.severity] += 1;
          const fixedText = report.fixed.length > 0 ? `; auto-fixed ${report.fixed.length}: ${report.fixed.map((f) => f.description).join('; ')}` : '';
          const details = { counts, findings: report.findings, fixed: report.fixed, timings: report.timings };
          if (verdict.blocked) {
            return { status: 'failed', summary: `blocking findings:\n${verdict.reasons.join('\n')}`, details, rewritten };
          }
          return {
            status: 'passed',
            summary: `${report.findings.length} finding(s) below the blocking level (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})${fixedText}`,
            details,
            rewritten,
          };
        });
    },
  };
}

const UI_FILE = /\.(html?|js|mjs|css|jinja2?|j2)$/;

/** Headless Chromium on changed UI files: console errors, exceptions and failed requests block. */
export function createBrowserGate(options: { readonly validator: () => BrowserValidator }): Gate {
  return {
    name: 'browser',
    run: (ctx) => {
      const ui = ctx.files.filter((f) => UI_FILE.test(f.path)).map((f) => f.path);
      if (ui.length === 0) return okAsync({ status: 'skipped', summary: 'no UI files changed' });
      const html = ui.find((p) => /\.html?$/.test(p));
      const entryPath = html ?? ui.map((p) => path.posix.join(path.posix.dirname(p), 'index.html')).find((p) => existsSync(path.join(ctx.shadowRoot, p)));
      if (!entryPath) return okAsync({ status: 'skipped', summary: `no HTML page loads ${ui.join(', ')}` });
      return options
        .validator()
        .check({ dir: path.join(ctx.shadowRoot, path.posix.dirname(entryPath)), entry: path.posix.basename(entryPath), screenshot: true })
        .mapErr((e): PortError => ({ kind: e.kind, message: e.message }))
        .andThen((r) => {
          const details = {
            console: r.console,
            exceptions: r.exceptions,
            network: r.network.filter((n) => n.failure !== undefined),
            screenshot: r.screenshots[0] ? { width: r.screenshots[0].width, height: r.screenshots[0].height, pngBase64: r.screenshots[0].pngBase64 } : undefined,
            metrics: r.metrics,
          };
          return okAsync<GateVerdict, PortError>(
            r.ok ? { status: 'passed', summary: `${entryPath} loads cleanly`, details } : { status: 'failed', summary: r.summary, details },
          );
        });
    },
  };
}

