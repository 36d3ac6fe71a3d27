import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createStreamLogger, describeUnknown } from '@yantra/shared';
import {
  fail,
  ok,
  processIO,
  runCli,
  type CliIO,
  type CliSpec,
  type CommandContext,
  type CommandOutcome,
  type CommandSpec,
} from '@yantra/shared/cli';
import { runBench } from './bench.js';
import { globalIdentity, identityFromEnv } from './cli-identity.js';
import type { GitError } from './errors.js';
import { commitValidated } from './gate.js';
import { generateCommitMessage } from './message-generate.js';
import { parseValidationReport } from './report.js';
import { openRepository, type Repository } from './repository.js';
import { serveStdio } from './server.js';
import { undoLast } from './undo.js';

/** Errors caused by the caller's input exit 2; the rest are domain failures (exit 1). */
const INPUT_KINDS = new Set(['invalid_argument', 'invalid_report', 'invalid_revision', 'path_outside_repo', 'not_a_repository']);

function failure(e: GitError): CommandOutcome {
  const data = { ...e } as Record<string, unknown>;
  delete data['kind'];
  delete data['message'];
  if (INPUT_KINDS.has(e.kind)) return { exitCode: 2, error: { kind: e.kind, message: e.message }, data };
  return fail(e.kind, e.message, Object.keys(data).length > 0 ? data : undefined);
}

const repoOption = { flags: '--repo <dir>', description: 'Repository (default: the current directory)' };

function open(options: Record<string, unknown>, ctx: CommandContext): Promise<Repository | GitError> {
  const dir = path.resolve(ctx.io.cwd, typeof options['repo'] === 'string' ? options['repo'] : '.');
  const author = identityFromEnv(ctx.io.env);
  const fallback = globalIdentity(ctx.io.env);
  return openRepository(dir, {
    logger: ctx.logger,
    ...(author ? { author } : {}),
    ...(fallback ? { defaultAuthor: fallback } : {}),
  }).match(
    (r) => r,
    (e) => e,
  );
}

async function withRepo(
  options: Record<string, unknown>,
  ctx: CommandContext,
  work: (repo: Repository) => Promise<CommandOutcome>,
): Promise<CommandOutcome> {
  const repo = await open(options, ctx);
  return 'kind' in repo ? failure(repo) : work(repo);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

const commands: readonly CommandSpec[] = [
  {
    name: 'status [...paths]',
    description: 'Staged, unstaged and untracked changes',
    options: [repoOption],
    run: (args, options, ctx) =>
      withRepo(options, ctx, (repo) => {
        const paths = strings(args[0]);
        return repo.status(paths.length > 0 ? paths : undefined).match(
          (s) => {
            const lines = [`branch ${s.branch ?? '(detached)'}`];
            for (const e of s.staged) lines.push(`staged    ${e.kind.padEnd(8)} ${e.path}`);
            for (const e of s.unstaged) lines.push(`unstaged  ${e.kind.padEnd(8)} ${e.path}`);
            for (const p of s.untracked) lines.push(`untracked          ${p}`);
            if (s.clean) lines.push('clean');
            return ok(s, lines.join('\n'));
          },
          failure,
        );
      }),
  },
  {
    name: 'diff [...paths]',
    description: 'Unified diff: unstaged (default), --staged, or against --target',
    options: [
      repoOption,
      { flags: '--staged', description: 'HEAD → index instead of index → working tree' },
      { flags: '--target <rev>', description: 'Compare the working tree with this revision' },
      { flags: '--context <n>', description: 'Context lines (default 3)' },
    ],
    run: (args, options, ctx) =>
      withRepo(options, ctx, (repo) => {
        const paths = strings(args[0]);
        const context = options['context'] === undefined ? 3 : Number(options['context']);
        if (!Number.isInteger(context) || context < 0) return Promise.resolve(failure({ kind: 'invalid_argument', message: '--context must be a whole number' }));
        const diffOptions = { contextLines: context, ...(paths.length > 0 ? { paths } : {}) };
        const target = options['target'];
        const diff =
          typeof target === 'string' ? repo.diffAgainst(target, diffOptions) : options['staged'] ? repo.diffStaged(diffOptions) : repo.diffUnstaged(diffOptions);
        return diff.match((d) => ok(d, d.patch.trimEnd()), failure);
      }),
  },
  {
    name: 'log',
    description: 'Commit history',
    options: [repoOption, { flags: '--max-count <n>', description: 'Most commits (default 10)' }, { flags: '--revision <rev>', description: 'Start here (default HEAD)' }],
    run: (_args, options, ctx) =>
      withRepo(options, ctx, (repo) => {
        const maxCount = options['maxCount'] === undefined ? 10 : Number(options['maxCount']);
        const revision = typeof options['revision'] === 'string' ? options['revision'] : 'HEAD';
        return repo.log({ maxCount, revision }).match(
          (entries) => ok({ commits: entries }, entries.map((e) => `${e.sha.slice(0, 7)} ${e.date.slice(0, 10)} ${e.subject}`).join('\n')),
          failure,
        );
      }),
  },
  {
    name: 'message',
    description: 'Propose a Conventional Commit message for the staged change (deterministic fallback; no LLM here)',
    options: [repoOption, { flags: '--request <text>', description: 'The request behind the change' }],
    run: (_args, options, ctx) =>
      withRepo(options, ctx, async (repo) => {
        const request = typeof options['request'] === 'string' ? options['request'] : '';
        const diff = await repo.diffStaged().match(
          (d) => d,
          (e) => e,
        );
        if ('kind' in diff) return failure(diff);
        if (diff.files.length === 0) return fail('nothing_to_commit', 'nothing is staged');
        return generateCommitMessage({ request, files: diff.files, patch: diff.patch }).match(
          (g) => ok(g, g.message.trimEnd()),
          () => fail('internal', 'message generation failed'),
        );
      }),
  },
  {
    name: 'commit [...files]',
    description: 'Commit through the gate: --validated REPORT.json (files default to the report\'s, else the staged ones)',
    options: [
      repoOption,
      { flags: '--validated <report>', description: 'Validation report JSON (required)' },
      { flags: '--request <text>', description: 'The request behind the change (default: the report\'s)' },
      { flags: '--message <text>', description: 'Proposed message; used when it is a valid Conventional Commit' },
    ],
    run: (args, options, ctx) =>
      withRepo(options, ctx, async (repo) => {
        const reportPath = options['validated'];
        if (typeof reportPath !== 'string') return { exitCode: 2, error: { kind: 'usage', message: 'commit needs --validated REPORT.json' } };
        let raw: unknown;
        try {
          raw = JSON.parse(await readFile(path.resolve(ctx.io.cwd, reportPath), 'utf8'));
        } catch (e) {
          return { exitCode: 2, error: { kind: 'invalid_report', message: `cannot read ${reportPath}: ${describeUnknown(e)}` } };
        }
        const report = parseValidationReport(raw).match(
          (r) => r,
          (e) => e,
        );
        if ('kind' in report) return failure(report);
        let files = strings(args[0]);
        if (files.length === 0) files = report.files ?? [];
        if (files.length === 0) {
          files = await repo.diffStaged().match(
            (d) => d.files.map((f) => f.path),
            () => [],
          );
        }
        const request = typeof options['request'] === 'string' ? options['request'] : (report.request ?? '');
        const message = typeof options['message'] === 'string' ? options['message'] : undefined;
        return commitValidated(repo, { files, request, ...(message === undefined ? {} : { message }) }, report, { logger: ctx.logger }).match(
          (c) => ok(c, `committed ${c.sha.slice(0, 7)}\n\n${c.message.trimEnd()}`),
          failure,
        );
      }),
  },
  {
    name: 'undo',
    description: 'Revert the last Yantra commit with a new commit (refuses when unsafe)',
    options: [repoOption],
    run: (_args, options, ctx) =>
      withRepo(options, ctx, (repo) =>
        undoLast(repo).match((u) => ok(u, `reverted ${u.reverted.slice(0, 7)} with ${u.sha.slice(0, 7)} (${u.files.length} files)`), failure),
      ),
  },
  {
    name: 'mcp',
    description: 'Serve the repository over MCP on stdio (stdout is JSON-RPC only)',
    options: [repoOption],
    // Reached only through runCli (e.g. with --help); main() runs the server itself so that
    // nothing but JSON-RPC ever reaches stdout.
    run: async () => ({ exitCode: 2, error: { kind: 'usage', message: 'run `yantra-git mcp` as the first argument' } }),
  },
  {
    name: 'bench [repo]',
    description: 'Measure status, diff, log and a validated commit (synthetic 5,000-file repo without [repo])',
    options: [{ flags: '--files <n>', description: 'Files in the synthetic repository (default 5000)' }],
    run: async (args, options, ctx) => {
      const repo = typeof args[0] === 'string' ? path.resolve(ctx.io.cwd, args[0]) : undefined;
      const files = options['files'] === undefined ? 5000 : Number(options['files']);
      if (!Number.isInteger(files) || files < 1) return { exitCode: 2, error: { kind: 'usage', message: '--files must be a positive integer' } };
      try {
        const result = await runBench({ ...(repo ? { repo } : {}), files, onProgress: ctx.progress });
        const text = [
          `${result.repo}: ${result.files} files (node ${result.node}, ${result.cpus} cpus, load ${result.loadAverage}, peak RSS ${result.peakRssMb} MiB)`,
          ...result.timings.map((t) => `${t.name.padEnd(40)} ${t.ms.toFixed(1).padStart(9)} ms`),
        ].join('\n');
        return ok(result, text);
      } catch (e) {
        return fail('bench_failed', describeUnknown(e));
      }
    },
  },
];

function optionValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`${flag}=`));
  return inline?.slice(flag.length + 1);
}

/**
 * stdout belongs to JSON-RPC while serving: a stray console call from any dependency would
 * corrupt the stream, so console output is sent to stderr instead.
 */
function guardStdout(io: CliIO): void {
  const target = globalThis.console;
  const toStderr = (...parts: unknown[]) => io.stderr(`${parts.map((p) => (typeof p === 'string' ? p : describeUnknown(p))).join(' ')}\n`);
  target.log = toStderr;
  target.info = toStderr;
  target.debug = toStderr;
  target.warn = toStderr;
}

async function runMcp(argv: readonly string[], io: CliIO, version: string): Promise<number> {
  const logger = createStreamLogger({ write: io.stderr, level: argv.includes('--verbose') ? 'debug' : 'info' });
  const repoPath = path.resolve(io.cwd, optionValue(argv, '--repo') ?? '.');
  const author = identityFromEnv(io.env);
  const fallback = globalIdentity(io.env);
  guardStdout(io);
  return serveStdio({ repoPath, logger, version, ...(author ? { author } : {}), ...(fallback ? { defaultAuthor: fallback } : {}) }).match(
    () => 0,
    (e) => {
      io.stderr(`error: ${e.kind}: ${e.message}\n`);
      return 1;
    },
  );
}

/** Runs `yantra-git` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  if (argv[0] === 'mcp' && !argv.includes('--help') && !argv.includes('-h')) return runMcp(argv, io, version);
  const spec: CliSpec = {
    name: 'yantra-git',
    version,
    description: 'Git operations, Conventional Commit messages, the validated commit gate, safe undo and an MCP server.',
    commands,
  };
  return runCli(spec, argv, io);
}
