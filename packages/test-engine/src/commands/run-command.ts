import path from 'node:path';
import { fail, ok, type CommandSpec } from '@yantra/shared/cli';
import { runTests } from '../runner/run.js';
import type { TestReport } from '../report.js';
import { changedLinesOption, listOption, secondsOption } from './options.js';

/** The JSON shape of `yantra-test run --json`. */
export function runJson(report: TestReport, withCoverage: boolean): Record<string, unknown> {
  return {
    passed: report.passed,
    failed: report.failed,
    errors: report.errors,
    skipped: report.skipped,
    durationMs: report.durationMs,
    tests: report.tests,
    ...(withCoverage ? { coverage: report.coverage ?? { percent: 0, files: {} } } : {}),
    ...(report.runnerError === undefined ? {} : { runnerError: report.runnerError }),
    environment: report.environment,
  };
}

function summary(report: TestReport): string {
  const t = report.totals;
  const lines = report.tests
    .filter((x) => x.outcome === 'failed' || x.outcome === 'error')
    .map((x) => `  ${x.outcome.toUpperCase()} ${x.nodeId}${x.message === undefined ? '' : `: ${x.message.split('\n')[0] ?? ''}`}${x.flaky ? ' (flaky)' : ''}`);
  const head = `${t.passed} passed, ${t.failed} failed, ${t.errors} errors, ${t.skipped} skipped, ${t.xfailed} xfailed, ${t.xpassed} xpassed in ${(report.durationMs / 1000).toFixed(2)}s`;
  const cov = report.coverage === undefined ? [] : [`coverage ${report.coverage.percent}%${report.coverage.changed ? `, changed lines ${report.coverage.changed.percent}%` : ''}`];
  const runner = report.runnerError === undefined ? [] : [`runner: ${report.runnerError.kind}: ${report.runnerError.message}`];
  const env = [`python ${report.environment.python} (${report.environment.interpreterSource}, isolation ${report.environment.isolation})${report.environment.note ? `; ${report.environment.note}` : ''}`];
  return [head, ...lines, ...cov, ...runner, ...env].join('\n');
}

export const runCommand: CommandSpec = {
  name: 'run <project>',
  description: 'Run the project\'s pytest suite in the sandbox and report every test',
  options: [
    { flags: '--tests <ids>', description: 'Node ids to run (repeat or comma-separate)' },
    { flags: '--coverage', description: 'Measure coverage with coverage.py' },
    { flags: '--changed <spec>', description: 'Changed lines FILE:A-B,C for changed-line coverage (repeatable)' },
    { flags: '--timeout <seconds>', description: 'Wall-clock limit for pytest (default 300)' },
    { flags: '--rerun-failures', description: 'Rerun failures once and mark flaky tests' },
    { flags: '--python <path>', description: "The project's interpreter (default: detected)" },
    { flags: '--tools-python <path>', description: "Yantra's tool venv Python (fallback)" },
  ],
  run: async ([project], options, ctx) => {
    const changedLines = changedLinesOption(options['changed']);
    const withCoverage = options['coverage'] === true || changedLines !== undefined;
    const tests = listOption(options['tests']);
    const timeoutMs = secondsOption(options['timeout'], 'timeout');
    ctx.logger.info(`running pytest in ${String(project)}`);
    const result = await runTests({
      workspace: path.resolve(ctx.io.cwd, String(project)),
      env: ctx.io.env,
      coverage: withCoverage,
      rerunFailures: options['rerunFailures'] === true,
      logger: ctx.logger,
      ...(tests === undefined ? {} : { tests }),
      ...(changedLines === undefined ? {} : { changedLines }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(typeof options['python'] === 'string' ? { python: options['python'] } : {}),
      ...(typeof options['toolsPython'] === 'string' ? { toolsPython: options['toolsPython'] } : {}),
    });
    return result.match(
      (report) => {
        const data = runJson(report, withCoverage);
        if (ctx.json === false) ctx.io.stderr(`${summary(report)}\n`);
        if (report.runnerError !== undefined) return fail(report.runnerError.kind, report.runnerError.message, data);
        if (report.failed + report.errors > 0) return fail('tests_failed', `${report.failed} failed, ${report.errors} errors`, data);
        return ok(data, summary(report));
      },
      (e) => (e.kind === 'invalid_input' ? { exitCode: 2 as const, error: { kind: e.kind, message: e.message } } : fail(e.kind, e.message)),
    );
  },
};
