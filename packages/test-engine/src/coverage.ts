import path from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { describeUnknown, makeError } from '@yantra/shared';
import type { TestEngineError } from './errors.js';
import type { ChangedLinesCoverage, CoverageReport, FileCoverage } from './report.js';

/** Line data per file from `coverage json --show-contexts`, kept for the keep rule. */
export interface CoverageDetail {
  readonly report: CoverageReport;
  /** file → line → contexts (pytest node ids) that executed it; empty without per-test contexts. */
  readonly contexts: Readonly<Record<string, Readonly<Record<number, readonly string[]>>>>;
  /** file → executed lines. */
  readonly executed: Readonly<Record<string, ReadonlySet<number>>>;
  /** file → executable lines (executed plus missing). */
  readonly statements: Readonly<Record<string, ReadonlySet<number>>>;
}

interface RawFile {
  executed_lines?: number[];
  missing_lines?: number[];
  contexts?: Record<string, string[]>;
  summary?: { percent_covered?: number; num_statements?: number; covered_lines?: number };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Normalises a file key to a POSIX path relative to the workspace. */
export function relativeKey(workspace: string, file: string): string {
  const rel = path.isAbsolute(file) ? path.relative(workspace, file) : file;
  return rel.split(path.sep).join('/').replace(/^\.\//, '');
}

/**
 * Measures coverage of the changed lines: only executable statements count, so blank lines
 * and comments in a diff neither help nor hurt.
 */
export function changedCoverage(
  changedLines: Readonly<Record<string, readonly number[]>>,
  executed: Readonly<Record<string, ReadonlySet<number>>>,
  statements: Readonly<Record<string, ReadonlySet<number>>>,
): ChangedLinesCoverage {
  const files: Record<string, { covered: number[]; missing: number[] }> = {};
  let covered = 0;
  let total = 0;
  for (const [file, lines] of Object.entries(changedLines)) {
    const stmts = statements[file] ?? new Set<number>();
    const hit = executed[file] ?? new Set<number>();
    const entry = { covered: [] as number[], missing: [] as number[] };
    for (const line of [...new Set(lines)].sort((a, b) => a - b)) {
      if (!stmts.has(line)) continue;
      total += 1;
      if (hit.has(line)) {
        covered += 1;
        entry.covered.push(line);
      } else entry.missing.push(line);
    }
    files[file] = entry;
  }
  return { percent: total === 0 ? 100 : round((covered / total) * 100), covered, total, files };
}

/** Parses the output of `coverage json` (optionally with `--show-contexts`). */
export function parseCoverageJson(
  json: string,
  workspace: string,
  changedLines?: Readonly<Record<string, readonly number[]>>,
): Result<CoverageDetail, TestEngineError> {
  let raw: { files?: Record<string, RawFile>; totals?: { percent_covered?: number } };
  try {
    raw = JSON.parse(json) as typeof raw;
  } catch (e) {
    return err(makeError('coverage_invalid', `coverage JSON does not parse: ${describeUnknown(e)}`));
  }
  if (typeof raw !== 'object' || raw === null || typeof raw.files !== 'object') {
    return err(makeError('coverage_invalid', 'coverage JSON has no "files" object'));
  }
  const files: Record<string, FileCoverage> = {};
  const contexts: Record<string, Record<number, string[]>> = {};
  const executed: Record<string, Set<number>> = {};
  const statements: Record<string, Set<number>> = {};
  for (const [name, f] of Object.entries(raw.files)) {
    const key = relativeKey(workspace, name);
    const exec = f.executed_lines ?? [];
    const missing = f.missing_lines ?? [];
    executed[key] = new Set(exec);
    statements[key] = new Set([...exec, ...missing]);
    files[key] = {
      percent: round(f.summary?.percent_covered ?? 0),
      statements: f.summary?.num_statements ?? exec.length + missing.length,
      covered: f.summary?.covered_lines ?? exec.length,
      missingLines: missing,
    };
    const ctx: Record<number, string[]> = {};
    for (const [line, names] of Object.entries(f.contexts ?? {})) {
      ctx[Number(line)] = names.filter((n) => n !== '').map((n) => n.replace(/\|(setup|call|teardown|run)$/, ''));
    }
    contexts[key] = ctx;
  }
  const report: CoverageReport = {
    percent: round(raw.totals?.percent_covered ?? 0),
    files,
    ...(changedLines === undefined ? {} : { changed: changedCoverage(changedLines, executed, statements) }),
  };
  return ok({ report, contexts, executed, statements });
}
