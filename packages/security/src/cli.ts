import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { resolveUserDirs, writeFileAtomic } from '@yantra/shared';
import { fail, ok, processIO, runCli, usage, UsageError, type CliIO, type CliSpec, type CommandContext, type CommandOutcome, type CommandSpec } from '@yantra/shared/cli';
import { runBench } from './bench.js';
import { resolveScannerOptions, type ScannerOptions } from './config.js';
import { buildAdvisoryDb, loadAdvisoryDb, writeAdvisoryDb } from './deps/advisory-db.js';
import { atLeast, gate } from './findings/gate.js';
import { toSarif } from './findings/sarif.js';
import { SEVERITIES, type Finding, type Severity } from './findings/types.js';
import { createScanner } from './scanner.js';
import { redact } from './secrets/redact.js';

function version(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** The user's advisory snapshot, loaded by `db update`; it wins over the shipped one. */
function userDbPath(io: CliIO): string {
  return path.join(resolveUserDirs(io.env).cache, 'security', 'advisories.json.gz');
}

/** Maps environment and flags to scanner options; only the CLI reads the environment. */
function scannerOptions(io: CliIO, flags: Record<string, unknown>, ctx: CommandContext): ScannerOptions {
  const venv = io.env['YANTRA_TOOLS_VENV'];
  const semgrep = typeof flags['semgrep'] === 'string' ? flags['semgrep'] : venv ? path.join(venv, 'bin', 'semgrep') : undefined;
  const python = venv ? path.join(venv, 'bin', 'python') : undefined;
  const userDb = userDbPath(io);
  const engine = flags['semgrepEngine'];
  if (engine !== undefined && engine !== 'native' && engine !== 'python') throw new UsageError('--semgrep-engine must be native or python');
  return {
    ...(engine ? { semgrepEngine: engine } : {}),
    ...(semgrep ? { semgrepPath: semgrep } : {}),
    ...(python ? { python } : {}),
    ...(typeof flags['rules'] === 'string' ? { rulesDir: path.resolve(io.cwd, flags['rules']) } : {}),
    ...(existsSync(userDb) ? { advisoryDb: userDb } : {}),
    ...(flags['timeout'] !== undefined && Number(flags['timeout']) > 0 ? { timeoutMs: Number(flags['timeout']) } : {}),
    logger: ctx.logger,
  };
}

function parseSeverity(value: unknown, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new Error(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
}

function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  return findings
    .map((f) => `${f.severity.toUpperCase().padEnd(8)} ${f.file}:${f.range.startLine}:${f.range.startCol} ${f.rule} [${f.cwe.join(', ')}]\n         ${f.message}\n         > ${f.snippet.split('\n')[0]?.trim() ?? ''}`)
    .join('\n');
}

async function scanCommand(args: readonly unknown[], flags: Record<string, unknown>, ctx: CommandContext): Promise<CommandOutcome> {
  const given = (args[0] as string[] | undefined) ?? [];
  let failOn: Severity;
  try {
    failOn = parseSeverity(flags['failOn'], 'critical');
  } catch (e) {
    return usage((e as Error).message);
  }
  const targets = given.length > 0 ? given.map((p) => path.resolve(ctx.io.cwd, p)) : [ctx.io.cwd];
  const missing = targets.find((t) => !existsSync(t));
  if (missing) return usage(`no such path: ${missing}`);
  const explicitRoot = typeof flags['root'] === 'string' ? path.resolve(ctx.io.cwd, flags['root']) : undefined;
  const single = targets.length === 1 && (await fs.stat(targets[0] as string)).isDirectory() && !explicitRoot;
  const root = single ? (targets[0] as string) : (explicitRoot ?? ctx.io.cwd);
  const paths = single ? undefined : targets.map((t) => path.relative(root, t) || '.');
  const scanner = createScanner(scannerOptions(ctx.io, flags, ctx));
  ctx.logger.info(`scanning ${root}${paths ? ` (${paths.length} paths)` : ''}`);
  const result = await scanner.scan({
    root,
    ...(paths ? { paths } : {}),
    fix: flags['fix'] === true,
    deps: flags['deps'] !== false,
  });
  return result.match(
    async (report): Promise<CommandOutcome> => {
      const verdict = gate(report.findings, { blockOn: failOn });
      if (typeof flags['sarif'] === 'string') {
        const sarifPath = path.resolve(ctx.io.cwd, flags['sarif']);
        const written = await writeFileAtomic(sarifPath, `${JSON.stringify(toSarif(report.findings, { toolVersion: version() }), null, 2)}\n`).match(
          () => undefined,
          (e) => e.message,
        );
        if (written) return fail('io', written);
      }
      const counts = Object.fromEntries(SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length]));
      const data = { ...report, failOn, counts, gate: verdict };
      const notices = report.fixed.flatMap((f) => (f.notice ? [f.notice] : []));
      const text = [
        renderFindings(report.findings),
        ...report.fixed.map((f) => `fixed ${f.file}: ${f.description}`),
        ...report.rejected.map((r) => `not fixed ${r.file} (${r.rule}): ${r.reason}`),
        ...[...new Set(notices)].map((n) => `NOTICE: ${n}`),
        `${report.findings.length} findings (${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}) in ${report.filesScanned} files, ${Math.round(report.timings.total)} ms`,
      ].join('\n');
      const blocking = report.findings.some((f) => atLeast(f.severity, failOn));
      if (blocking) {
        if (!ctx.json) ctx.io.stderr(`${text}\n`);
        return fail('findings', `${verdict.reasons.length} findings at or above ${failOn}`, data);
      }
      return ok(data, text);
    },
    async (e): Promise<CommandOutcome> => (e.kind === 'bad_input' ? usage(redact(e.message)) : fail(e.kind, redact(e.message), { error: e })),
  );
}

async function dbCommand(args: readonly unknown[], flags: Record<string, unknown>, ctx: CommandContext): Promise<CommandOutcome> {
  const action = args[0];
  const userDb = userDbPath(ctx.io);
  if (action === 'info') {
    const file = existsSync(userDb) ? userDb : resolveScannerOptions().advisoryDb;
    return (await loadAdvisoryDb(file)).match(
      (db) => {
        const stat = { file, bytes: 0, format: db.format, source: db.source, builtAt: db.builtAt, advisories: db.advisoryCount, packages: Object.keys(db.packages).length };
        return ok(stat, `${db.source.name}\nsnapshot ${db.source.snapshot}, built ${db.builtAt}\n${db.advisoryCount} advisories over ${stat.packages} packages (${db.source.license})\n${file}`);
      },
      (e) => fail(e.kind, e.message),
    );
  }
  if (action === 'update' || action === 'build') {
    if (typeof flags['from'] !== 'string') return usage(`db ${action} needs --from <advisory directory>`);
    const from = path.resolve(ctx.io.cwd, flags['from']);
    const out = action === 'update' ? userDb : typeof flags['out'] === 'string' ? path.resolve(ctx.io.cwd, flags['out']) : undefined;
    if (!out) return usage('db build needs --out <file.json.gz>');
    const built = await buildAdvisoryDb(from, { onProgress: (d, t) => ctx.progress('compiling advisories', d, t) }).andThen(({ db, skipped }) =>
      writeAdvisoryDb(db, out).map(({ bytes }) => ({ file: out, bytes, advisories: db.advisoryCount, packages: Object.keys(db.packages).length, skipped, snapshot: db.source.snapshot })),
    );
    return built.match(
      (r) => ok(r, `wrote ${r.advisories} advisories (${r.packages} packages, ${r.skipped} skipped) to ${r.file}, ${r.bytes} bytes`),
      (e) => (e.kind === 'bad_input' ? usage(e.message) : fail(e.kind, e.message)),
    );
  }
  return usage('db takes info, update --from <dir>, or build --from <dir> --out <file>');
}

async function benchCommand(args: readonly unknown[], flags: Record<string, unknown>, ctx: CommandContext): Promise<CommandOutcome> {
  const target = path.resolve(ctx.io.cwd, String(args[0] ?? '.'));
  if (!existsSync(target)) return usage(`no such path: ${target}`);
  const options = resolveScannerOptions(scannerOptions(ctx.io, flags, ctx));
  const runs = Number(flags['runs'] ?? 3);
  if (!Number.isInteger(runs) || runs < 1) return usage('--runs must be a positive integer');
  return (await runBench(options, target, { runs, progress: ctx.progress })).match(
    (r) => ok(r, r.text),
    (e) => fail(e.kind, e.message),
  );
}

const commands: readonly CommandSpec[] = [
  {
    name: 'scan [...paths]',
    description: 'Scan files or directories with semgrep, the secrets scanner and the dependency audit',
    options: [
      { flags: '--root <dir>', description: 'Project root that finding paths are relative to (default: the directory scanned, or cwd)' },
      { flags: '--sarif <file>', description: 'Also write a SARIF 2.1.0 log' },
      { flags: '--fix', description: 'Apply verified AST fixes in place' },
      { flags: '--fail-on <severity>', description: 'Exit 1 when a finding is at least this severe (critical|high|medium|low; default critical)' },
      { flags: '--no-deps', description: 'Skip the dependency audit' },
      { flags: '--semgrep <path>', description: 'semgrep executable (default: $YANTRA_TOOLS_VENV/bin/semgrep, the repo .venv, or PATH)' },
      { flags: '--semgrep-engine <engine>', description: 'semgrep front end: native (scan --experimental, default) or python' },
      { flags: '--rules <dir>', description: 'Rule directory (default: the bundled Yantra rule pack)' },
      { flags: '--timeout <ms>', description: 'Time limit per tool run (default 120000)' },
    ],
    run: scanCommand,
  },
  {
    name: 'db <action>',
    description: 'Advisory database: info | update --from <dir> (into the user cache) | build --from <dir> --out <file>',
    options: [
      { flags: '--from <dir>', description: 'An OSV advisory directory, such as a pypa/advisory-database checkout' },
      { flags: '--out <file>', description: 'Output file for build' },
    ],
    run: dbCommand,
  },
  {
    name: 'bench [path]',
    description: 'Time each engine and the whole scan against a bare semgrep run on the same path',
    options: [
      { flags: '--runs <n>', description: 'Repetitions; the median is reported (default 3)' },
      { flags: '--semgrep <path>', description: 'semgrep executable' },
      { flags: '--semgrep-engine <engine>', description: 'semgrep front end: native (scan --experimental, default) or python' },
      { flags: '--timeout <ms>', description: 'Time limit per tool run (default 120000)' },
    ],
    run: benchCommand,
  },
];

/** Runs `yantra-security` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const spec: CliSpec = {
    name: 'yantra-security',
    version: version(),
    description: 'Offline SAST (semgrep with Yantra rules), secret scanning, dependency audit, auto-fix and SARIF.',
    commands,
  };
  return runCli(spec, argv, io);
}
