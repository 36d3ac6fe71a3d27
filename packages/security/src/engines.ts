import path from 'node:path';
import { ResultAsync, okAsync } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import type { ResolvedScannerOptions } from './config.js';
import type { AdvisoryDb } from './deps/advisory-db.js';
import { auditFiles } from './deps/engine.js';
import { LineIndex } from './findings/source.js';
import type { Finding, SecurityError } from './findings/types.js';
import { scanSecrets } from './secrets/scan.js';
import { normalizeSemgrep } from './semgrep/normalize.js';
import { runSemgrep } from './semgrep/run.js';
import { readText, walkFiles, type WalkedFile } from './walk.js';

export interface EngineRun {
  readonly findings: Finding[];
  readonly files: WalkedFile[];
  readonly timings: { semgrep: number; secrets: number; deps: number };
  readonly diagnostics: string[];
}

export interface EngineRequest {
  readonly root: string;
  readonly paths?: readonly string[];
  /** Omit to skip the dependency audit (as the post-fix re-scan does). */
  readonly db?: AdvisoryDb;
}

const ioError = (root: string) => (e: unknown): SecurityError =>
  makeError('io', `cannot read ${root}: ${describeUnknown(e)}`, { path: root });

/** Semgrep over the Python sources; run once per scan, on directories where possible. */
function semgrepEngine(options: ResolvedScannerOptions, root: string, files: readonly WalkedFile[], paths?: readonly string[]) {
  const py = files.filter((f) => f.rel.endsWith('.py'));
  if (py.length === 0) return okAsync({ findings: [] as Finding[], ms: 0, diagnostics: [] as string[] });
  // A few files go by name; otherwise the given directories (or the root) go whole.
  const targets = paths && paths.length > 0 ? (py.length <= 20 ? py.map((f) => f.rel) : [...paths]) : ['.'];
  const started = performance.now();
  return runSemgrep({
    semgrepPath: options.semgrepPath,
    engine: options.semgrepEngine,
    rulesDir: options.rulesDir,
    cwd: root,
    targets,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  }).andThen((run) =>
    ResultAsync.fromPromise(
      (async () => {
        const texts = new Map<string, LineIndex>();
        const findings: Finding[] = [];
        for (const r of run.results) {
          const rel = path.relative(root, path.resolve(root, r.path)).split(path.sep).join('/');
          let index = texts.get(rel);
          if (!index) {
            index = new LineIndex((await readText(path.join(root, rel)).catch(() => undefined)) ?? '');
            texts.set(rel, index);
          }
          findings.push(normalizeSemgrep(r, rel, index));
        }
        return { findings, ms: performance.now() - started, diagnostics: run.errors.map((e) => `semgrep: ${e}`) };
      })(),
      ioError(root),
    ),
  );
}

async function secretsEngine(files: readonly WalkedFile[]) {
  const started = performance.now();
  const findings: Finding[] = [];
  for (const f of files) {
    if (/(?:^|\/)(?:poetry\.lock|Pipfile\.lock|package-lock\.json|yarn\.lock)$/.test(f.rel)) continue;
    const text = await readText(f.abs).catch(() => undefined);
    if (text !== undefined) findings.push(...scanSecrets(f.rel, text));
  }
  return { findings, ms: performance.now() - started };
}

/** One semgrep finding and one secret finding on the same line are the same leak: keep the secret's. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const secretLines = new Set(findings.filter((f) => f.engine === 'secrets').map((f) => `${f.file}:${f.range.startLine}`));
  return findings.filter((f) => !(f.engine === 'semgrep' && f.cwe.includes('CWE-798') && secretLines.has(`${f.file}:${f.range.startLine}`)));
}

/** Runs semgrep, the secrets scanner and (with a database) the dependency audit, concurrently. */
export function runEngines(options: ResolvedScannerOptions, request: EngineRequest): ResultAsync<EngineRun, SecurityError> {
  return ResultAsync.fromPromise(walkFiles(request.root, request.paths), ioError(request.root)).andThen((files) => {
    const secrets = ResultAsync.fromPromise(secretsEngine(files), ioError(request.root));
    const depsStarted = performance.now();
    const deps = request.db
      ? ResultAsync.fromPromise(auditFiles(files, request.db), ioError(request.root)).map((d) => ({ ...d, ms: performance.now() - depsStarted }))
      : okAsync({ findings: [] as Finding[], diagnostics: [] as string[], ms: 0 });
    return ResultAsync.combine([semgrepEngine(options, request.root, files, request.paths), secrets, deps] as const).map(
      ([sg, sec, dep]) => ({
        findings: dedupe([...sg.findings, ...sec.findings, ...dep.findings]),
        files,
        timings: { semgrep: sg.ms, secrets: sec.ms, deps: dep.ms },
        diagnostics: [...sg.diagnostics, ...dep.diagnostics],
      }),
    );
  });
}
