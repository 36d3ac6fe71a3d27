import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectStateDir, resolveUserDirs, settle, writeFileAtomic } from '@yantra/shared';
import { fail, ok, usage, type CommandContext, type CommandOutcome, type CommandSpec } from '@yantra/shared/cli';
import { openRepository, undoLast } from '@yantra/git-mcp';
import { loadLlmConfig, PROVIDER_IDS, sanitizeConfig, setLlmConfigValue, type ProviderId } from '@yantra/llm-orchestrator';
import { assembleLargeProject, runCodegenBench, stdlibDirOf, type CodegenBenchReport } from '../bench.js';
import { createServices } from '../compose/services.js';
import { prepareDemo } from '../demo.js';
import type { FinalOutcome, RunEvent } from '../events.js';
import { checkToolchain, resolveToolchain, type Toolchain } from '../toolchain.js';
import { createProgressRenderer, summaryTable } from './render.js';

/** The repository root when running from a checkout (`packages/codegen/{src/cli,dist}`). */
function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../..'), path.resolve(here, '../../../..')];
  return candidates.find((c) => existsSync(path.join(c, 'examples/shop'))) ?? (candidates[0] as string);
}

function tools(ctx: CommandContext): { toolchain: Toolchain; userDirs: ReturnType<typeof resolveUserDirs> } {
  const userDirs = resolveUserDirs(ctx.io.env);
  return { toolchain: resolveToolchain(ctx.io.env, repoRoot(), userDirs.cache), userDirs };
}

function parseProvider(value: unknown): ProviderId | undefined | Error {
  if (value === undefined) return undefined;
  const v = String(value);
  return (PROVIDER_IDS as readonly string[]).includes(v) ? (v as ProviderId) : new Error(`--provider must be one of ${PROVIDER_IDS.join(', ')}`);
}

/** Adds `.yantra/` to the project's .gitignore (atomically), once. */
async function ignoreStateDir(dir: string): Promise<boolean> {
  const file = path.join(dir, '.gitignore');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current.split('\n').some((l) => l.trim() === '.yantra/' || l.trim() === '.yantra')) return false;
  const next = `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}.yantra/\n`;
  const written = await settle(writeFileAtomic(file, next));
  if (!written.ok) throw new Error(written.error.message);
  return true;
}

/**
 * Keeps `.yantra/` out of git without touching the user's tracked files: `ask` adds it to
 * `.git/info/exclude` when no ignore rule covers it (`init` writes `.gitignore` instead).
 */
async function excludeStateDir(dir: string): Promise<void> {
  const gitignore = path.join(dir, '.gitignore');
  const exclude = path.join(dir, '.git', 'info', 'exclude');
  const covered = (file: string) =>
    existsSync(file) && readFileSync(file, 'utf8').split('\n').some((l) => l.trim() === '.yantra/' || l.trim() === '.yantra');
  if (covered(gitignore) || covered(exclude)) return;
  const current = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  const written = await settle(writeFileAtomic(exclude, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}.yantra/\n`));
  if (!written.ok) throw new Error(written.error.message);
}

async function initProject(dir: string, ctx: CommandContext): Promise<CommandOutcome> {
  if (!existsSync(dir)) return usage(`${dir} does not exist`);
  const { toolchain, userDirs } = tools(ctx);
  await mkdir(projectStateDir(dir), { recursive: true });
  const ignored = await ignoreStateDir(dir);
  const services = await settle(createServices({ projectRoot: dir, env: ctx.io.env, userDirs, toolchain, learning: false }));
  if (!services.ok) return fail(services.error.kind, services.error.message);
  try {
    ctx.logger.info('building the code graph');
    const graph = await settle(services.value.projectGraph());
    const checks = await checkToolchain(toolchain, dir);
    const stats = graph.ok ? graph.value.stats() : undefined;
    const data = { dir, stateDir: projectStateDir(dir), gitignoreUpdated: ignored, graph: stats ?? null, toolchain: checks };
    const lines = [
      `initialised ${projectStateDir(dir)}${ignored ? ' (added .yantra/ to .gitignore)' : ''}`,
      stats ? `graph: ${JSON.stringify(stats)}` : `graph: unavailable (${graph.ok ? '' : graph.error.message})`,
      ...checks.map((c) => `${c.ok ? 'ok  ' : 'MISSING'} ${c.tool}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`),
    ];
    if (!graph.ok) return fail(graph.error.kind, graph.error.message, data);
    if (checks.some((c) => !c.ok)) return fail('toolchain_incomplete', `missing: ${checks.filter((c) => !c.ok).map((c) => c.tool).join(', ')}`, data);
    return ok(data, lines.join('\n'));
  } finally {
    await services.value.close();
  }
}

interface AskOptions {
  readonly dir: string;
  readonly request: string;
  readonly provider?: ProviderId;
  readonly noCommit: boolean;
  readonly learning: boolean;
  readonly maxAttempts?: number;
  readonly maxTokens?: number;
  readonly llm?: { readonly timeoutMs?: number; readonly maxRetries?: number };
}

async function ask(options: AskOptions, ctx: CommandContext): Promise<CommandOutcome> {
  const { toolchain, userDirs } = tools(ctx);
  if (!existsSync(path.join(options.dir, '.git'))) return fail('not_a_repository', `${options.dir} is not a git repository (run git init, then yantra init)`);
  await mkdir(projectStateDir(options.dir), { recursive: true });
  await excludeStateDir(options.dir);
  const services = await settle(
    createServices({
      projectRoot: options.dir,
      env: ctx.io.env,
      userDirs,
      toolchain,
      learning: options.learning,
      logger: ctx.logger,
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
      ...(options.llm ? { llm: options.llm } : {}),
    }),
  );
  if (!services.ok) return fail(services.error.kind, services.error.message);
  const render = createProgressRenderer(ctx.io.stderr);
  const onEvent = (e: RunEvent) => {
    if (ctx.json) ctx.io.stdout(`${JSON.stringify(e)}\n`);
    else render(e);
  };
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let outcome: FinalOutcome;
  try {
    outcome = await services.value.pipeline.run(
      { projectRoot: options.dir, request: options.request, noCommit: options.noCommit },
      { onEvent, signal: controller.signal },
    );
  } finally {
    process.off('SIGINT', onSigint);
    await services.value.close();
  }
  return outcomeToCli(outcome);
}

export function outcomeToCli(outcome: FinalOutcome): CommandOutcome {
  const data = { ...outcome };
  if (outcome.status === 'committed' || outcome.status === 'validated') return ok(data, summaryTable(outcome));
  return fail(outcome.status, outcome.reason ?? outcome.status, data);
}

const DEMO_REQUEST = 'add a function shipping_cost_cents(weight_grams, distance_km) in shop/shipping.py that calculates the shipping cost from weight and distance, with tests';

export const commands: readonly CommandSpec[] = [
  {
    name: 'init [dir]',
    description: 'Create .yantra/, ignore it in git, build the code graph and check the toolchain',
    run: (args, _o, ctx) => initProject(path.resolve(ctx.io.cwd, String(args[0] ?? '.')), ctx),
  },
  {
    name: 'ask <request>',
    description: 'Generate, validate and commit a change for a plain-language request',
    options: [
      { flags: '--dir <dir>', description: 'Project directory (a git repository)', default: '.' },
      { flags: '--provider <provider>', description: `Use only this provider: ${PROVIDER_IDS.join('|')}` },
      { flags: '--no-commit', description: 'Validate only; leave the working tree and git alone' },
      { flags: '--yes', description: 'Do not ask before writing (non-interactive runs never ask)' },
      { flags: '--no-learning', description: 'Do not record or retrieve mistakes' },
      { flags: '--max-attempts <n>', description: 'Attempts in all, repairs included (default 3)' },
      { flags: '--max-tokens <n>', description: 'Output tokens per attempt (default 2048)' },
    ],
    run: async (args, o, ctx) => {
      const provider = parseProvider(o['provider']);
      if (provider instanceof Error) return usage(provider.message);
      return ask(
        {
          dir: path.resolve(ctx.io.cwd, String(o['dir'] ?? '.')),
          request: String(args[0]),
          noCommit: o['commit'] === false,
          learning: o['learning'] !== false,
          ...(provider ? { provider } : {}),
          ...(o['maxAttempts'] ? { maxAttempts: Number(o['maxAttempts']) } : {}),
          ...(o['maxTokens'] ? { maxTokens: Number(o['maxTokens']) } : {}),
        },
        ctx,
      );
    },
  },
  {
    name: 'demo',
    description: 'Run the main job with the embedded local model on a copy of the bundled sample project',
    options: [
      { flags: '--sample <dir>', description: 'Sample project to copy (default: examples/shop)' },
      { flags: '--request <text>', description: 'The request to run', default: DEMO_REQUEST },
      { flags: '--provider <provider>', description: 'Provider (default: local)', default: 'local' },
    ],
    run: async (_a, o, ctx) => {
      const { toolchain } = tools(ctx);
      const provider = parseProvider(o['provider']);
      if (provider instanceof Error) return usage(provider.message);
      if (!existsSync(toolchain.python)) return fail('tool_missing', `${toolchain.python} not found: run scripts/setup.sh first`);
      ctx.logger.info('copying the sample project and running its tests');
      const demo = await settle(prepareDemo({ sampleDir: String(o['sample'] ?? path.join(repoRoot(), 'examples/shop')), python: toolchain.python }));
      if (!demo.ok) return fail(demo.error.kind, demo.error.message);
      ctx.logger.info(`workspace ${demo.value.workspace}: ${demo.value.tests.summary}`);
      // A CPU-only model is slow but deterministic: give it time once rather than three short tries.
      const llm = provider === 'local' && !ctx.io.env['YANTRA_LLM_TIMEOUT_MS'] ? { timeoutMs: 300_000, maxRetries: 1 } : {};
      const result = await ask(
        { dir: demo.value.workspace, request: String(o['request']), noCommit: false, learning: true, maxTokens: 600, llm, ...(provider ? { provider } : {}) },
        ctx,
      );
      const data = { workspace: demo.value.workspace, baseline: demo.value, outcome: result.data ?? null };
      const head = `workspace: ${demo.value.workspace}\nbaseline:  ${demo.value.tests.summary}\n`;
      if (result.exitCode === 0) return ok(data, `${head}${result.text ?? ''}`);
      // A rejected change is a correct outcome of the demo: the gates kept the project intact.
      const outcome = result.data as FinalOutcome | undefined;
      return outcome && outcome.status === 'rejected'
        ? ok(data, `${head}${summaryTable(outcome)}\n(the gates rejected the local model's change; the sample project is unchanged)`)
        : result.exitCode === 2
          ? result
          : fail(result.error.kind, result.error.message, data);
    },
  },
  {
    name: 'bench',
    description: 'Measure the pipeline overhead per attempt (everything but the LLM and pytest), on the sample and on a ~50k LOC project',
    options: [
      { flags: '--project <dir>', description: 'Project to measure (default: the sample project)' },
      { flags: '--reply <file>', description: 'Edit-format reply replayed in place of the model (default: fixtures/bench/reply.md)' },
      { flags: '--request <text>', description: 'The request (default: fixtures/bench/request.txt)' },
      { flags: '--runs <n>', description: 'Runs (median reported)', default: 5 },
      { flags: '--large-loc <n>', description: 'Lines of the large project assembled from the standard library (0 skips it)', default: 50000 },
      { flags: '--large-runs <n>', description: 'Runs on the large project', default: 3 },
    ],
    run: async (_a, o, ctx) => {
      const { toolchain } = tools(ctx);
      const here = path.dirname(fileURLToPath(import.meta.url));
      const pkg = [path.resolve(here, '..'), path.resolve(here, '../..')].find((d) => existsSync(path.join(d, 'fixtures/bench'))) ?? path.resolve(here, '../..');
      const runs = Number(o['runs']);
      const largeLoc = Number(o['largeLoc']);
      const largeRuns = Number(o['largeRuns']);
      for (const [name, v] of [['--runs', runs], ['--large-loc', largeLoc], ['--large-runs', largeRuns]] as const) {
        if (!Number.isInteger(v) || v < (name === '--large-loc' ? 0 : 1)) return usage(`${name} must be a ${name === '--large-loc' ? 'non-negative' : 'positive'} integer`);
      }
      const sampleDir = String(o['project'] ?? path.join(repoRoot(), 'examples/shop'));
      const replyFile = String(o['reply'] ?? path.join(pkg, 'fixtures/bench/reply.md'));
      const request = typeof o['request'] === 'string' ? o['request'] : readFileSync(path.join(pkg, 'fixtures/bench/request.txt'), 'utf8').trim();
      const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
      const loadBefore = load();
      const sample = await runCodegenBench({ project: sampleDir, replyFile, request, toolchain, runs, onProgress: (d, t) => ctx.progress('sample project', d, t) });
      let large: CodegenBenchReport | undefined;
      let largeInfo: { packages: string[] } | undefined;
      if (largeLoc > 0) {
        const scratch = await mkdtemp(path.join(os.tmpdir(), 'yantra-bench-large-'));
        try {
          const assembled = await assembleLargeProject({ sample: sampleDir, stdlibDir: stdlibDirOf(toolchain.python), loc: largeLoc, into: scratch });
          largeInfo = { packages: assembled.packages };
          large = await runCodegenBench({ project: assembled.dir, replyFile, request, toolchain, runs: largeRuns, onProgress: (d, t) => ctx.progress('large project', d, t) });
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      }
      const targets = {
        sampleOverheadMs: { target: 1000, measured: sample.overheadMs, met: sample.overheadMs <= 1000 },
        ...(large
          ? {
              largeOverheadMs: { target: 3000, measured: large.overheadMs, met: large.overheadMs <= 3000 },
              largeContextMs: { target: 100, measured: large.contextMs, met: large.contextMs <= 100 },
            }
          : {}),
      };
      const line = (name: string, r: CodegenBenchReport) =>
        [
          `${name}: ${r.loc} LOC in ${r.files} files, median of ${r.runs} runs (graph build ${r.graphBuildMs} ms, once per project)`,
          ...Object.entries(r.stageMs).map(([k, v]) => `  ${k.padEnd(9)} ${v} ms`),
          `  overhead per attempt: ${r.overheadMs} ms (${r.overheadWithoutSecurityMs} ms without the security scan)`,
        ].join('\n');
      const text = [
        line('sample', sample),
        ...(large ? [line(`large (stdlib ${largeInfo?.packages.join(', ') ?? ''})`, large)] : []),
        ...Object.entries(targets).map(([k, t]) => `${k}: ${t.measured} ms (target ≤ ${t.target}) ${t.met ? 'met' : 'NOT met'}`),
        `load average ${loadBefore.join(' ')} before, ${load().join(' ')} after`,
      ].join('\n');
      return ok(
        {
          machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: { before: loadBefore, after: load() } },
          sample,
          ...(large ? { large: { ...large, stdlibPackages: largeInfo?.packages ?? [] } } : {}),
          targets,
        },
        text,
      );
    },
  },
  {
    name: 'ui [dir]',
    description: 'Serve the Yantra app in browser mode (the desktop app\'s backend and UI on 127.0.0.1)',
    options: [
      { flags: '--port <n>', description: 'Port (default: a free one)' },
      { flags: '--no-open', description: 'Do not open Chromium' },
    ],
    run: async (args, o, ctx) => {
      // The app sits above codegen in the tiers, so it is started as a program, not imported.
      const bin = [path.join(repoRoot(), 'apps/desktop/dist/bin.js')].find((p) => existsSync(p));
      if (!bin) return fail('app_missing', 'the desktop app is not built: run scripts/setup.sh (or npx nx run @yantra/desktop:build)');
      const argv = [bin, path.resolve(ctx.io.cwd, String(args[0] ?? '.'))];
      if (o['port']) argv.push('--port', String(o['port']));
      if (o['open'] === false) argv.push('--no-open');
      if (ctx.json) argv.push('--json');
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, argv, { stdio: 'inherit', env: ctx.io.env });
      const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
      return code === 0 ? ok({ exitCode: 0 }, '') : fail('app_failed', `the app exited with ${code}`);
    },
  },
  {
    name: 'undo',
    description: "Revert the last Yantra commit (refuses anything Yantra did not write)",
    options: [{ flags: '--dir <dir>', description: 'Project directory', default: '.' }],
    run: async (_a, o, ctx) => {
      const dir = path.resolve(ctx.io.cwd, String(o['dir'] ?? '.'));
      const r = await settle(openRepository(dir).andThen((repo) => undoLast(repo)));
      return r.ok ? ok(r.value, `reverted ${r.value.reverted} with ${r.value.sha}`) : fail(r.error.kind, r.error.message);
    },
  },
  {
    name: 'status',
    description: 'Graph, LLM config and breaker status (sanitized)',
    options: [{ flags: '--dir <dir>', description: 'Project directory', default: '.' }],
    run: async (_a, o, ctx) => {
      const dir = path.resolve(ctx.io.cwd, String(o['dir'] ?? '.'));
      const { toolchain, userDirs } = tools(ctx);
      const services = await settle(createServices({ projectRoot: dir, env: ctx.io.env, userDirs, toolchain, learning: false }));
      if (!services.ok) return fail(services.error.kind, services.error.message);
      try {
        const graph = existsSync(path.join(projectStateDir(dir), 'graph.db')) ? await settle(services.value.projectGraph()) : undefined;
        const llm = services.value.orchestrator.status();
        const data = { dir, graph: graph?.ok ? graph.value.stats() : null, llm: { config: llm.config, chain: llm.chain, breakers: llm.breakers } };
        return ok(data, JSON.stringify(data, null, 2));
      } finally {
        await services.value.close();
      }
    },
  },
  {
    name: 'config [action] [key] [value]',
    description: 'Show the sanitized LLM config, or set a key (config set KEY VALUE)',
    run: async (args, _o, ctx) => {
      const { userDirs } = tools(ctx);
      const [action = 'show', key, value] = args.map((a) => (a === undefined ? undefined : String(a)));
      if (action === 'set') {
        if (key === undefined || value === undefined) return usage('config set KEY VALUE');
        const r = await settle(setLlmConfigValue(userDirs, key, value));
        if (!r.ok) return r.error.kind === 'config_invalid' ? usage(r.error.message) : fail(r.error.kind, r.error.message);
      } else if (action !== 'show') return usage(`unknown config action ${action}; use show or set`);
      const config = await settle(loadLlmConfig(ctx.io.env, userDirs));
      if (!config.ok) return fail(config.error.kind, config.error.message);
      const safe = sanitizeConfig(config.value);
      return ok(safe, JSON.stringify(safe, null, 2));
    },
  },
];
