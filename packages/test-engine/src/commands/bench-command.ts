import path from 'node:path';
import { fail, ok, type CommandSpec } from '@yantra/shared/cli';
import { benchRunner, type BenchResult } from '../bench/bench.js';

function table(r: BenchResult): string {
  return [
    `machine: ${r.machine.cpus} cpus, Node ${r.machine.node}, ${r.machine.platform}; isolation ${r.isolation}`,
    `suite: ${r.suite.tests} tests, ${r.suite.runs} timed runs each; load average ${r.loadAverage.start} → ${r.loadAverage.end}`,
    `bare: ${r.sides.bare}`,
    `runner: ${r.sides.runner}`,
    `| measure | median | min |`,
    `|---|---|---|`,
    `| bare pytest | ${r.barePytestMs.median} ms | ${r.barePytestMs.min} ms |`,
    `| yantra runner | ${r.runnerMs.median} ms | ${r.runnerMs.min} ms |`,
    `| overhead (medians) | ${r.overheadPercent}% | target ≤ 10% |`,
    `| overhead (median of pairs) | ${r.overheadPercentPaired}% | |`,
    `| parse 5,000-test JUnit (${(r.junit5000.bytes / 1024 / 1024).toFixed(2)} MB) | ${r.junit5000.parseMsMedian} ms | |`,
  ].join('\n');
}

export const benchCommand: CommandSpec = {
  name: 'bench <project>',
  description: 'Measure runner overhead over bare pytest and the time to parse a 5,000-test JUnit file',
  options: [
    { flags: '--runs <n>', description: 'Timed runs per variant (default 10)' },
    { flags: '--python <path>', description: "The project's interpreter (default: detected)" },
  ],
  run: async ([project], options, ctx) => {
    const runs = options['runs'] === undefined ? 10 : Math.max(1, Math.floor(Number(options['runs'])) || 10);
    const result = await benchRunner({
      workspace: path.resolve(ctx.io.cwd, String(project)),
      env: ctx.io.env,
      runs,
      onProgress: ctx.progress,
      ...(typeof options['python'] === 'string' ? { python: options['python'] } : {}),
    });
    return result.match(
      (r) => ok(r, table(r)),
      (e) => fail(e.kind, e.message),
    );
  },
};
