import path from 'node:path';
import { ResultAsync } from 'neverthrow';
import { makeError, silentLogger, type Logger } from '@yantra/shared';
import { commitIndex } from './committing.js';
import { validateCommitMessage, type Footer } from './conventional.js';
import { diffStaged } from './diff.js';
import { failWith, toGitError, type GateFailure, type GitError } from './errors.js';
import { generateCommitMessage, type MessageGenerator } from './message-generate.js';
import { confinePaths } from './paths.js';
import { parseValidationReport, type ValidationReport } from './report.js';
import type { Repository } from './repository.js';
import { stagePaths } from './staging.js';
import { headOid, readStatus } from './status.js';
import type { Identity } from './context.js';

/** The change to commit: its files, the request behind it and, optionally, a proposed message. */
export interface ValidatedChange {
  readonly files: readonly string[];
  readonly request: string;
  /** Used when it is a valid Conventional Commit message; otherwise a message is generated. */
  readonly message?: string;
}

export interface CommitValidatedOptions {
  /** The LLM port for the message; without it the deterministic fallback is used. */
  readonly messageGenerator?: MessageGenerator;
  /** Refuse a report in which no test ran. Default true. */
  readonly requireTests?: boolean;
  readonly author?: Identity;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface ValidatedCommit {
  readonly sha: string;
  readonly message: string;
}

/** The trailer that marks a commit as Yantra's; undo refuses commits without it. */
export const RUN_TRAILER = 'Yantra-Run';

/** Every reason the report forbids a commit; empty when the change may be committed. */
export function evaluateGate(report: ValidationReport, options: { requireTests?: boolean; files?: readonly string[] } = {}): GateFailure[] {
  const failures: GateFailure[] = [];
  if (report.graph.status !== 'complete') {
    failures.push({ gate: 'graph', message: `graph validation is ${report.graph.status}, not complete` });
  }
  if (report.graph.breakages.length > 0) {
    const first = report.graph.breakages[0];
    failures.push({
      gate: 'graph',
      message: `${report.graph.breakages.length} graph breakage(s), first: ${first?.kind}: ${first?.message}`,
    });
  }
  const t = report.tests;
  if (t.failed > 0 || t.errors > 0) failures.push({ gate: 'tests', message: `${t.failed} test(s) failed, ${t.errors} errored` });
  if ((options.requireTests ?? true) && t.passed === 0) failures.push({ gate: 'tests', message: 'no test passed' });
  if (report.security.critical > 0) {
    failures.push({ gate: 'security', message: `${report.security.critical} critical security finding(s)` });
  }
  if (report.browser?.ran && !report.browser.passed) {
    const why = report.browser.failures?.[0];
    failures.push({ gate: 'browser', message: `browser checks failed${why ? `: ${why}` : ''}` });
  }
  if (options.files && report.files) {
    const validated = new Set(report.files.map((f) => path.posix.normalize(f.replace(/\\/g, '/')).replace(/^\.\//, '')));
    const extra = options.files.filter((f) => !validated.has(f));
    if (extra.length > 0) failures.push({ gate: 'scope', message: `not validated: ${extra.join(', ')}` });
  }
  return failures;
}

/** The fixed-format gate summary that goes into the commit body. */
export function gateSummary(report: ValidationReport): string {
  const t = report.tests;
  const total = t.passed + t.failed + t.errors + t.skipped;
  const coverage = t.changedLineCoverage === undefined || t.changedLineCoverage === null ? 'n/a' : `${t.changedLineCoverage.toFixed(1)}%`;
  const s = report.security;
  const browser = report.browser?.ran ? (report.browser.passed ? 'passed' : 'failed') : 'not run';
  return [
    `Tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${total} total)`,
    `Coverage of changed lines: ${coverage}`,
    `Security: ${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low`,
    `Graph: ${report.graph.status}, ${report.graph.breakages.length} breakages`,
    `Browser: ${browser}`,
  ].join('\n');
}

/** Puts the gate summary and the trailer into a valid message: subject, body, summary, trailers. */
export function composeGatedMessage(message: string, report: ValidationReport): string {
  const check = validateCommitMessage(message);
  if (!check.valid) failWith(makeError('invalid_message', `invalid commit message: ${check.problems.join('; ')}`, { problems: check.problems }));
  const header = message.replace(/\r\n/g, '\n').split('\n', 1)[0] ?? '';
  const footers: Footer[] = [...check.commit.footers.filter((f) => !f.token.startsWith('Yantra-')), { token: RUN_TRAILER, value: report.runId }];
  const sections = [header];
  if (check.commit.body) sections.push(check.commit.body);
  sections.push(gateSummary(report), footers.map((f) => `${f.token}: ${f.value}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}

async function commitGated(
  repo: Repository,
  change: ValidatedChange,
  reportInput: ValidationReport,
  options: CommitValidatedOptions,
): Promise<ValidatedCommit> {
  const ctx = repo.context;
  const logger = options.logger ?? silentLogger;
  const report = parseValidationReport(reportInput).match(
    (r) => r,
    (e) => failWith(e),
  );
  if (change.files.length === 0) failWith(makeError('invalid_argument', 'the change lists no files'));
  const files = await confinePaths(ctx.dir, change.files);
  const failures = evaluateGate(report, { files, ...(options.requireTests === undefined ? {} : { requireTests: options.requireTests }) });
  if (failures.length > 0) {
    logger.warn('commit gate blocked', { failures: failures.map((f) => f.message) });
    failWith(makeError('gate_blocked', `commit gate blocked: ${failures.map((f) => f.message).join('; ')}`, { failures }));
  }
  // Never sweep into Yantra's commit what the user staged for their own.
  const inChange = (p: string) => files.some((f) => f === '.' || p === f || p.startsWith(`${f}/`));
  const before = await readStatus(ctx);
  const foreign = before.staged.map((e) => e.path).filter((p) => !inChange(p));
  if (foreign.length > 0) {
    failWith(makeError('staged_outside_change', `staged files outside the change: ${foreign.join(', ')}`, { paths: foreign }));
  }
  await stagePaths(ctx, files);
  const diff = await diffStaged(ctx, await headOid(ctx));
  if (diff.files.length === 0) failWith(makeError('nothing_to_commit', 'the change has no differences to commit'));

  let message = change.message;
  if (message === undefined || !validateCommitMessage(message).valid) {
    const generated = await generateCommitMessage(
      { request: change.request, files: diff.files, patch: diff.patch },
      {
        ...(options.messageGenerator ? { generator: options.messageGenerator } : {}),
        logger,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    ).match(
      (g) => g,
      () => failWith(makeError('invalid_message', 'message generation failed', { problems: [] })),
    );
    message = generated.message;
    logger.info('commit message generated', { source: generated.source, attempts: generated.attempts });
  }
  const final = composeGatedMessage(message, report);
  return commitIndex(ctx, final, options.author ? { author: options.author } : {});
}

/**
 * Commits a change only when its validation report passes every gate: graph validation
 * complete with no breakages, no failing test (and at least one passing), no critical
 * security finding, browser checks passed where they ran, and only validated files.
 * The message is the given one when valid, else generated (LLM port, then fallback); its
 * body carries the gate summary and a `Yantra-Run: <runId>` trailer.
 */
export function commitValidated(
  repo: Repository,
  change: ValidatedChange,
  report: ValidationReport,
  options: CommitValidatedOptions = {},
): ResultAsync<ValidatedCommit, GitError> {
  return ResultAsync.fromPromise(commitGated(repo, change, report, options), toGitError);
}
