import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectStateDir, resolveUserDirs } from '@yantra/shared';
import { fail, ok, processIO, runCli, usage, type CliIO, type CliSpec, type CommandContext, type CommandSpec } from '@yantra/shared/cli';
import { measureOverhead, runFailoverBench, runRequestBench } from './bench.js';
import { isSecretKey, loadLlmConfig, sanitizeConfig, setLlmConfigValue, CONFIG_KEYS, type LlmConfig } from './config.js';
import { PROVIDER_IDS, type LlmConfigError, type ProviderId } from './errors.js';
import { createOrchestrator } from './orchestrator.js';
import { unloadLocalModels } from './providers/local.js';

type Outcome = Awaited<ReturnType<CommandSpec['run']>>;

function loadConfig(io: CliIO): Promise<{ config: LlmConfig } | { error: LlmConfigError }> {
  return loadLlmConfig(io.env, resolveUserDirs(io.env)).match(
    (config) => ({ config }),
    (error) => ({ error }),
  );
}

function configFailure(error: LlmConfigError): Outcome {
  return fail(error.kind, error.message, error.kind === 'config_invalid' ? { issues: error.issues } : undefined);
}

/** Breaker states outlive one CLI process, so back-to-back runs skip a provider that is down. */
function breakerFile(io: CliIO): string {
  return path.join(resolveUserDirs(io.env).cache, 'llm-breakers.json');
}

const str = (v: unknown): string | undefined => (v === undefined || v === true || v === false ? undefined : String(v));

function parseCount(value: unknown, name: string, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : `--${name} must be a positive integer`;
}

const complete: CommandSpec = {
  name: 'complete',
  description: 'One completion through the configured providers (retry, breaker, failover, cache)',
  options: [
    { flags: '--prompt <text>', description: 'The user request' },
    { flags: '--system <text>', description: 'System text' },
    { flags: '--provider <id>', description: `Only this provider: ${PROVIDER_IDS.join('|')}` },
    { flags: '--model <model>', description: 'Override the model' },
    { flags: '--max-tokens <n>', description: 'Most tokens to generate (default 1024)' },
    { flags: '--stream', description: 'Print text as it arrives (to stderr with --json)' },
    { flags: '--project <dir>', description: 'Project whose .yantra/cache.db caches responses (default: cwd)' },
  ],
  run: async (_args, options, ctx) => {
    const prompt = str(options['prompt']);
    if (!prompt) return usage('--prompt TEXT is required');
    const provider = str(options['provider']);
    if (provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(provider)) {
      return usage(`--provider must be one of ${PROVIDER_IDS.join('|')}`);
    }
    const maxTokens = parseCount(options['maxTokens'], 'max-tokens', 1024);
    if (typeof maxTokens === 'string') return usage(maxTokens);
    const loaded = await loadConfig(ctx.io);
    if ('error' in loaded) return configFailure(loaded.error);
    const orchestrator = createOrchestrator({
      config: loaded.config,
      projectRoot: str(options['project']) ?? ctx.io.cwd,
      breakerStateFile: breakerFile(ctx.io),
      logger: ctx.logger,
    });
    const system = str(options['system']);
    const model = str(options['model']);
    const stream = options['stream'] === true;
    const write = ctx.json ? ctx.io.stderr : ctx.io.stdout;
    try {
      return await orchestrator
        .complete(
          {
            prompt,
            maxTokens,
            ...(system === undefined ? {} : { system }),
            ...(model === undefined ? {} : { model }),
            ...(provider === undefined ? {} : { provider: provider as ProviderId }),
          },
          {
            onEvent: (e) => {
              if (stream && e.type === 'text') write(e.delta);
              if (e.type === 'attempt_failed') ctx.logger.info(`${e.provider}: ${e.errorKind}${e.retryInMs === undefined ? '' : `, retrying in ${e.retryInMs} ms`}`);
              if (e.type === 'failover') ctx.logger.info(`failing over from ${e.from} to ${e.to}`);
            },
          },
        )
        .match(
          (c) => {
            const data = {
              text: c.text,
              provider: c.provider,
              model: c.model,
              usage: c.usage,
              costUsd: c.costUsd,
              cached: c.cached,
              stopReason: c.stopReason,
              attempts: c.attempts.map((a) => ({ provider: a.provider, ok: a.ok, errorKind: a.errorKind ?? null, ms: a.ms, ...(a.skipped ? { skipped: true } : {}) })),
            };
            return ok(data, stream ? '' : c.text);
          },
          (e) => fail(e.kind, e.message, 'attempts' in e ? { attempts: e.attempts } : undefined),
        );
    } finally {
      orchestrator.close();
      await orchestrator.flush();
      await unloadLocalModels();
    }
  },
};

const status: CommandSpec = {
  name: 'status',
  description: 'Breaker states, provider chain and config status (sanitized: never keys)',
  options: [{ flags: '--project <dir>', description: 'Project whose usage totals to show (default: cwd)' }],
  run: async (_args, options, ctx) => {
    const loaded = await loadConfig(ctx.io);
    if ('error' in loaded) return configFailure(loaded.error);
    // Reading status must not create a cache database where there was none.
    const root = str(options['project']) ?? ctx.io.cwd;
    const hasStore = existsSync(path.join(projectStateDir(root), 'cache.db'));
    const o = createOrchestrator({
      config: loaded.config,
      ...(hasStore ? { projectRoot: root } : {}),
      breakerStateFile: breakerFile(ctx.io),
      logger: ctx.logger,
    });
    try {
      const s = o.status();
      const data = { config: s.config, chain: s.chain, breakers: s.breakers, usage: o.usage().project };
      const text = [
        `chain: ${s.chain.join(' → ') || '(none)'}`,
        ...s.breakers.map((b) => `breaker ${b.provider}: ${b.state}`),
        `anthropic configured: ${s.config.anthropicConfigured}, openai configured: ${s.config.openaiConfigured}, compatible configured: ${s.config.compatibleConfigured}`,
      ].join('\n');
      return ok(data, text);
    } finally {
      o.close();
    }
  },
};

const config: CommandSpec = {
  name: 'config <action> [key] [value]',
  description: `show | set KEY VALUE (keys: ${Object.keys(CONFIG_KEYS).join(', ')}; an empty VALUE removes the setting)`,
  run: async (args, _options, ctx: CommandContext) => {
    const [action, key, value] = args.map((a) => (a === undefined ? undefined : String(a)));
    if (action === 'show') {
      const loaded = await loadConfig(ctx.io);
      if ('error' in loaded) return configFailure(loaded.error);
      return ok(sanitizeConfig(loaded.config));
    }
    if (action === 'set') {
      if (key === undefined || value === undefined) return usage('config set KEY VALUE');
      const dirs = resolveUserDirs(ctx.io.env);
      return setLlmConfigValue(dirs, key, value).match(
        () => ok({ set: key, value: isSecretKey(key) ? '[redacted]' : value }, `${key} saved`),
        (e) => (e.kind === 'config_invalid' && e.issues.some((i) => i.endsWith('unknown setting')) ? usage(e.message) : configFailure(e)),
      );
    }
    return usage(`unknown config action ${JSON.stringify(action)}; use show or set`);
  },
};

const bench: CommandSpec = {
  name: 'bench',
  description: 'Send N orchestrated requests to the configured providers (or, with --overhead, measure overhead over a bare SDK call)',
  options: [
    { flags: '--requests <n>', description: 'Requests to send (default 5)' },
    { flags: '--overhead', description: 'Measure p50/p99 overhead against a local fake endpoint' },
    { flags: '--iterations <n>', description: 'Iterations for --overhead (default 300)' },
    { flags: '--failover', description: 'N requests against a local fake endpoint whose primary is overloaded' },
  ],
  run: async (_args, options, ctx) => {
    if (options['failover'] === true) {
      const count = parseCount(options['requests'], 'requests', 10);
      if (typeof count === 'string') return usage(count);
      const r = await runFailoverBench(count, (d, t) => ctx.progress('failover', d, t));
      return ok(
        r,
        `first failover in ${r.firstFailoverMs} ms (one backoff cycle: ${r.backoffCycleMs} ms); primary got ${r.primaryRequests} requests, ${r.primaryRequestsWhileOpen} while Open; transitions: ${r.transitions.map((t) => `${t.from}→${t.to}`).join(', ')}`,
      );
    }
    if (options['overhead'] === true) {
      const iterations = parseCount(options['iterations'], 'iterations', 300);
      if (typeof iterations === 'string') return usage(iterations);
      const r = await measureOverhead(iterations, (d, t) => ctx.progress('overhead', d, t));
      return ok(
        r,
        `overhead p50 ${r.overheadMs.p50} ms, p99 ${r.overheadMs.p99} ms; orchestration code alone p50 ${r.pureOverheadMs.p50} ms, p99 ${r.pureOverheadMs.p99} ms (bare p50 ${r.bareMs.p50} ms, orchestrated p50 ${r.orchestratedMs.p50} ms, ${r.iterations} iterations); target ≤ 2 ms p50: ${r.meetsTarget ? 'met' : 'NOT met'}`,
      );
    }
    const count = parseCount(options['requests'], 'requests', 5);
    if (typeof count === 'string') return usage(count);
    const loaded = await loadConfig(ctx.io);
    if ('error' in loaded) return configFailure(loaded.error);
    const o = createOrchestrator({ config: loaded.config, logger: ctx.logger });
    try {
      const r = await runRequestBench(o, count, (d, t) => ctx.progress('requests', d, t));
      const text = [
        ...r.requests.map((q, i) => `#${i + 1} ${q.ok ? `ok via ${q.provider}` : `failed: ${q.errorKind}`} in ${q.ms} ms (${q.attempts.length} attempts)`),
        ...r.transitions.map((t) => `breaker ${t.provider}: ${t.from} → ${t.to}`),
      ].join('\n');
      return ok(r, text);
    } finally {
      o.close();
      await unloadLocalModels();
    }
  },
};

const commands: readonly CommandSpec[] = [complete, status, config, bench];

/** Runs `yantra-llm` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-llm',
    version,
    description: 'LLM providers (Claude, OpenAI, OpenAI-compatible, embedded local) with streaming, retry, circuit breaker, failover, cache and cost.',
    commands,
  };
  return runCli(spec, argv, io);
}
