import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { makeError } from '@yantra/shared';
import { applyFixes } from './autofix/apply.js';
import { resolveScannerOptions, type ScannerOptions } from './config.js';
import { loadAdvisoryDb, type AdvisoryDb } from './deps/advisory-db.js';
import { runEngines } from './engines.js';
import { bundleRules } from './semgrep/rulepack.js';
import { severityRank } from './findings/id.js';
import type { Finding, ScanReport, SecurityError } from './findings/types.js';

export interface ScanRequest {
  /** The project root; finding paths are relative to it. */
  readonly root: string;
  /** Files or directories under `root` to scan. Default: the whole root. */
  readonly paths?: readonly string[];
  /** Apply verified AST fixes in place. Default false. */
  readonly fix?: boolean;
  /** Run the dependency audit. Default true. */
  readonly deps?: boolean;
}

export interface Scanner {
  /** Scans with every engine; with `fix`, applies and verifies fixes and reports what remains. */
  scan(request: ScanRequest): ResultAsync<ScanReport, SecurityError>;
  /** The advisory database in use (loaded once). */
  advisoryDb(): ResultAsync<AdvisoryDb, SecurityError>;
  /** The merged rule file semgrep runs with (built once per rule pack, cached by content hash). */
  rulesFile(): ResultAsync<string, SecurityError>;
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.file.localeCompare(b.file) ||
      a.range.startLine - b.range.startLine ||
      a.rule.localeCompare(b.rule),
  );
}

/** Creates a scanner. Nothing runs until `scan` is called. */
export function createScanner(options: ScannerOptions = {}): Scanner {
  const resolved = resolveScannerOptions(options);
  let cached: AdvisoryDb | undefined;
  // Loaded once per scanner; a failed load is retried on the next scan.
  const advisoryDb = (): ResultAsync<AdvisoryDb, SecurityError> =>
    cached ? okAsync(cached) : loadAdvisoryDb(resolved.advisoryDb).map((d) => (cached = d));
  let rulesFile: string | undefined;
  const rules = (): ResultAsync<string, SecurityError> =>
    rulesFile ? okAsync(rulesFile) : bundleRules(resolved.rulesDir).map((f) => (rulesFile = f));

  const scan = (request: ScanRequest): ResultAsync<ScanReport, SecurityError> => {
    const started = performance.now();
    const root = path.resolve(request.root);
    const checkRoot = ResultAsync.fromPromise(fs.stat(root), () =>
      makeError('bad_input', `scan root ${root} does not exist`, { path: root }),
    ).andThen((st) => (st.isDirectory() ? okAsync(root) : errAsync(makeError('bad_input', `scan root ${root} is not a directory`, { path: root }))));
    const badPath = (request.paths ?? []).find((p) => path.relative(root, path.resolve(root, p)).startsWith('..'));
    if (badPath !== undefined) return errAsync(makeError('bad_input', `path ${badPath} is outside the scan root`, { path: badPath }));
    return checkRoot
      .andThen(() => rules())
      .andThen((rulesPath) =>
        (request.deps === false ? okAsync(undefined) : advisoryDb().map((d): AdvisoryDb | undefined => d)).map((dbValue) => ({ rulesPath, dbValue })),
      )
      .andThen(({ rulesPath, dbValue }) => {
        const withRules = { ...resolved, rulesDir: rulesPath };
        return runEngines(withRules, { root, ...(request.paths ? { paths: request.paths } : {}), ...(dbValue ? { db: dbValue } : {}) }).map((run) => ({
          run,
          withRules,
        }));
      })
      .andThen(({ run, withRules }) => {
        resolved.logger.debug('engines finished', run.timings);
        const fixStarted = performance.now();
        const fixed = request.fix
          ? applyFixes(withRules, root, run.findings)
          : okAsync({ findings: run.findings, fixed: [], rejected: [] });
        return fixed.map(
          (outcome): ScanReport => ({
            root,
            findings: sortFindings(outcome.findings),
            fixed: outcome.fixed,
            rejected: outcome.rejected,
            timings: {
              ...run.timings,
              fix: request.fix ? performance.now() - fixStarted : 0,
              total: performance.now() - started,
            },
            filesScanned: run.files.length,
          }),
        );
      });
  };
  return { scan, advisoryDb, rulesFile: rules };
}
