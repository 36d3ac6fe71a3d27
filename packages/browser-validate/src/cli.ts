import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '@yantra/shared';
import { ok, processIO, runCli, UsageError, type CliIO, type CliSpec, type CommandOutcome, type CommandSpec } from '@yantra/shared/cli';
import { runBench } from './bench.js';
import type { BrowserError } from './errors.js';
import type { CheckResult } from './result.js';
import { parseSteps, type Step } from './steps.js';
import { createBrowserValidator, type CheckInput } from './validator.js';

function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** Maps `check`'s target to an input: a URL, a directory, or an HTML file served from its directory. */
async function targetInput(target: string, cwd: string): Promise<Pick<CheckInput, 'url' | 'dir' | 'entry'>> {
  if (/^https?:\/\//i.test(target)) return { url: target };
  const full = path.resolve(cwd, target);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new UsageError(`no such file or directory: ${target}`);
  if (info.isDirectory()) return { dir: full };
  return { dir: path.dirname(full), entry: path.basename(full) };
}

async function readScript(file: string, cwd: string): Promise<Step[]> {
  let raw: string;
  try {
    raw = await readFile(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read the script ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`the script ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseSteps(parsed);
  } catch (e) {
    throw new UsageError(`the script ${file} is invalid: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The result as printed: screenshots without their base64 bytes, which went to files. */
function printable(r: CheckResult, written: Record<string, string>): unknown {
  return {
    ...r,
    screenshots: r.screenshots.map(({ pngBase64, ...rest }) => ({ ...rest, bytes: Buffer.from(pngBase64, 'base64').length, ...(written[rest.name] ? { path: written[rest.name] } : {}) })),
  };
}

function errorOutcome(e: BrowserError): CommandOutcome {
  return { exitCode: e.kind === 'invalid_input' ? 2 : 1, error: { kind: e.kind, message: e.message }, data: { detail: e } };
}

const check: CommandSpec = {
  name: 'check <target>',
  description: 'Load an HTML file, a directory or a URL in headless Chromium and report console errors, exceptions and failed requests',
  options: [
    { flags: '--script <file>', description: 'JSON list of interaction steps to run after load' },
    { flags: '--screenshot <file>', description: 'Write a PNG of the page (step screenshots go beside it)' },
    { flags: '--full-page', description: 'Make the --screenshot of the whole page, not the viewport' },
    { flags: '--settle-ms <ms>', description: 'Quiet window after load (default 100)' },
    { flags: '--max-wait-ms <ms>', description: 'Hard cap on waiting for the page (default 10000)' },
  ],
  run: async ([target], options, ctx) => {
    const input: CheckInput = {
      ...(await targetInput(String(target), ctx.io.cwd)),
      ...(options['script'] === undefined ? {} : { script: await readScript(String(options['script']), ctx.io.cwd) }),
      ...(options['screenshot'] === undefined ? {} : { screenshot: options['fullPage'] === true ? 'fullPage' : 'viewport' }),
    };
    const settleMs = intOption(options['settleMs'], 'settle-ms');
    const maxWaitMs = intOption(options['maxWaitMs'], 'max-wait-ms');
    const chromePath = ctx.io.env['CHROME_PATH'];
    const validator = createBrowserValidator({
      logger: ctx.logger,
      prewarm: false,
      ...(chromePath ? { chromePath } : {}),
      ...(settleMs === undefined ? {} : { settleMs }),
      ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
    });
    try {
      return await validator.check(input).match(
        (r) => report(r, options['screenshot'], ctx.io.cwd),
        async (e) => errorOutcome(e),
      );
    } finally {
      await validator.close();
    }
  },
};

async function report(r: CheckResult, screenshot: unknown, cwd: string): Promise<CommandOutcome> {
      const written: Record<string, string> = {};
      if (screenshot !== undefined) {
        const out = path.resolve(cwd, String(screenshot));
        const ext = path.extname(out);
        for (const shot of r.screenshots) {
          const file = shot.name === 'final' ? out : `${out.slice(0, out.length - ext.length)}-${shot.name.replace(/[^\w.-]+/g, '_')}${ext || '.png'}`;
          const failed = await writeFileAtomic(file, Buffer.from(shot.pngBase64, 'base64')).match(
            () => undefined,
            (e) => e.message,
          );
          if (failed !== undefined) return { exitCode: 1, error: { kind: 'io', message: failed } };
          written[shot.name] = file;
        }
      }
      const data = printable(r, written);
      if (!r.ok) return { exitCode: 1, error: { kind: 'check_failed', message: r.summary }, data };
      return ok(data, r.summary);
}

const bench: CommandSpec = {
  name: 'bench',
  description: 'Measure cold start, warm check p50/p99, memory and process leaks on this machine',
  options: [
    { flags: '--warm <n>', description: 'Warm checks to time (default 50)' },
    { flags: '--leak-checks <n>', description: 'Checks run before recounting browser processes (default 200)' },
  ],
  run: async (_args, options, ctx) => {
    const warm = intOption(options['warm'], 'warm');
    const leak = intOption(options['leakChecks'], 'leak-checks');
    const chromePath = ctx.io.env['CHROME_PATH'];
    const report = await runBench({
      logger: ctx.logger,
      progress: ctx.progress,
      ...(chromePath ? { chromePath } : {}),
      ...(warm === undefined ? {} : { warmChecks: warm }),
      ...(leak === undefined ? {} : { leakChecks: leak }),
    });
    const text = [
      `machine: ${report.machine.cpus} cpus, node ${report.machine.node}, ${report.machine.platform}, load average ${report.machine.load1}`,
      `cold start + first check: ${report.coldStartMs} ms`,
      `warm check over ${report.warm.checks}: p50 ${report.warm.p50Ms} ms, p99 ${report.warm.p99Ms} ms, mean ${report.warm.meanMs} ms, ${report.warm.cpuMsPerCheck} ms CPU each`,
      `memory: browser ${report.memory.browserPssMb} MB PSS in ${report.memory.browserProcesses} processes, node ${report.memory.nodeRssMb} MB`,
      `leaks: ${report.leak.processesBefore} -> ${report.leak.processesAfter} browser processes after ${report.leak.checks} checks; ${report.leak.leftAfterClose} left after close`,
    ].join('\n');
    return ok(report, text);
  },
};

const commands: readonly CommandSpec[] = [check, bench];

/** Runs `yantra-browser` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-browser',
    version,
    description: 'Headless Chromium checks of UI code over the DevTools Protocol: console, exceptions, network, screenshots.',
    commands,
  };
  return runCli(spec, argv, io);
}

