import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { scrubEnv } from '@yantra/shared/node';
import {
  fail,
  ok,
  processIO,
  runCli,
  UsageError,
  type CliIO,
  type CliSpec,
  type CommandOutcome,
  type CommandSpec,
} from '@yantra/shared/cli';
import { startUiApp } from './app.js';
import { createCodegenPorts } from './backend/codegen-ports.js';
import { createReplayPipeline, loadRecordedRuns } from './backend/replay-pipeline.js';
import type { MistakePattern } from './protocol/messages.js';

const version = (): string => (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Opens Chromium in app mode on the URL, detached; the UI keeps running if it is closed. */
function openChromium(url: string, io: CliIO): void {
  const exe = io.env['YANTRA_CHROMIUM'] || '/usr/bin/chromium';
  const profile = path.join(os.tmpdir(), 'yantra-ui-profile');
  const env = scrubEnv(io.env);
  const child = spawn(exe, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check'], {
    cwd: os.tmpdir(),
    env: { ...env, DISPLAY: io.env['DISPLAY'] ?? '' },
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => io.stderr(`could not start ${exe}; open ${url} yourself\n`));
  child.unref();
}

async function readSeed(file: string | undefined): Promise<MistakePattern[]> {
  if (file === undefined) return [];
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { patterns?: MistakePattern[] };
  if (!Array.isArray(parsed.patterns)) throw new UsageError(`${file} has no "patterns" array`);
  return parsed.patterns;
}

function serveCommand(lifetime: AbortSignal | undefined, state: { served: boolean }): CommandSpec {
  return {
    name: '[dir]',
    description: 'Serve the Yantra UI for a project folder (default: the current folder) on 127.0.0.1',
    options: [
      { flags: '--port <n>', description: 'Port to listen on (default: a free one)' },
      { flags: '--no-open', description: 'Do not open Chromium in app mode' },
      { flags: '--replay <dir>', description: 'Answer requests with the recorded runs in this folder (demo and tests)' },
      { flags: '--mistakes <file>', description: 'Seed the mistakes dashboard from a JSON export' },
    ],
    async run(args, options, ctx): Promise<CommandOutcome> {
      const dir = path.resolve(ctx.io.cwd, typeof args[0] === 'string' ? args[0] : '.');
      const stat = await fs.stat(dir).catch(() => undefined);
      if (!stat?.isDirectory()) throw new UsageError(`not a folder: ${dir}`);
      const port = options['port'] === undefined ? 0 : Number(options['port']);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`bad --port: ${String(options['port'])}`);
      let pipeline;
      if (typeof options['replay'] === 'string') {
        const runs = await loadRecordedRuns(path.resolve(ctx.io.cwd, options['replay'])).match(
          (r) => r,
          (e) => {
            throw new UsageError(e.message);
          },
        );
        pipeline = createReplayPipeline({ runs });
      }
      const seedFile = typeof options['mistakes'] === 'string' ? path.resolve(ctx.io.cwd, options['mistakes']) : undefined;
      const seedMistakes = await readSeed(seedFile);
      // Without recorded runs the app runs the real main job, with learning, usage and graph stats.
      const wired = pipeline ? undefined : createCodegenPorts({ env: ctx.io.env, dir: () => dir, logger: ctx.logger });
      const started = await startUiApp({
        dir,
        env: ctx.io.env,
        port,
        version: version(),
        logger: ctx.logger,
        seedMistakes,
        ...(pipeline ? { pipeline } : {}),
        ...(wired ? { pipeline: wired.pipeline, usage: wired.usage, project: wired.project, ...(seedFile ? {} : { mistakes: wired.mistakes }) } : {}),
      }).match(
        (app) => ({ app }),
        (error) => ({ error }),
      );
      if ('error' in started) return fail(started.error.kind, started.error.message);
      const { app } = started;
      // The URL goes out first, before anything else, so scripts can read one line.
      ctx.io.stdout(ctx.json ? `${JSON.stringify({ url: app.server.url })}\n` : `${app.server.url}\n`);
      state.served = true;
      if (options['open'] !== false && ctx.io.env['DISPLAY']) openChromium(app.server.url, ctx.io);
      ctx.logger.info(`serving ${dir}; stop with Ctrl+C`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        if (lifetime) {
          if (lifetime.aborted) return resolve();
          lifetime.addEventListener('abort', stop, { once: true });
        } else {
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        }
      });
      await app.close();
      await wired?.close();
      return ok({ url: app.server.url, stopped: true });
    },
  };
}

const benchCommand: CommandSpec = {
  name: 'bench',
  description: 'Measure first paint, opening a 5,000-line file in Monaco and long tasks while streaming, in real Chromium',
  options: [{ flags: '--chromium <path>', description: 'Chromium binary (default /usr/bin/chromium)' }],
  async run(_args, options, ctx) {
    const { runBench } = await import('./bench.js');
    const exe = typeof options['chromium'] === 'string' ? options['chromium'] : ctx.io.env['YANTRA_CHROMIUM'] || '/usr/bin/chromium';
    return runBench({ chromium: exe, env: ctx.io.env, progress: ctx.progress }).match(
      (report) => ok(report, formatBench(report)),
      (e) => fail(e.kind, e.message),
    );
  },
};

function formatBench(r: { firstPaintMs: number; monacoOpen5000Ms: number; longTasksWhileStreaming: number; maxLongTaskMs: number }): string {
  return [
    `first paint                 ${r.firstPaintMs.toFixed(0)} ms`,
    `5,000-line file in Monaco   ${r.monacoOpen5000Ms.toFixed(0)} ms`,
    `long tasks while streaming  ${r.longTasksWhileStreaming} (longest ${r.maxLongTaskMs.toFixed(0)} ms)`,
  ].join('\n');
}

/**
 * Runs `yantra-ui` with the given arguments; returns the exit code. Serving runs until SIGINT or
 * SIGTERM, or until `lifetime` aborts (tests).
 */
export async function main(argv: readonly string[], io: CliIO = processIO(), lifetime?: AbortSignal): Promise<number> {
  // Serving prints exactly one line (the URL) while it runs; the kit's closing output after it is dropped.
  const state = { served: false };
  const spec: CliSpec = {
    name: 'yantra-ui',
    version: version(),
    description: 'The Yantra app in browser mode: serves the UI on 127.0.0.1 with a token in the URL.',
    commands: [benchCommand, serveCommand(lifetime, state)],
  };
  const wrapped: CliIO = { ...io, stdout: (t) => (state.served ? undefined : io.stdout(t)) };
  return runCli(spec, argv, wrapped);
}
