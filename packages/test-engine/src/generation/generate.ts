import { access, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown, makeError, silentLogger, writeFileAtomic, type Logger } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import { changedCoverage } from '../coverage.js';
import type { TestEngineError } from '../errors.js';
import type { ChangedLinesCoverage } from '../report.js';
import { defaultToolsPython, detectInterpreter } from '../runner/interpreter.js';
import { createTestRunner, type DetailedRun, type TestRunner } from '../runner/run.js';
import { analyseFile, readTestStyle, validateTestFile, type CodeAnalysis, type HelperContext, type ValidationResult } from './analysis.js';
import { applyKeepRule, pruneTests, type GeneratedTestVerdict } from './keep.js';
import { buildPlan, type TestPlan } from './plan.js';
import { extractCode, generationPrompt, judgePrompt, parseJudgement, repairPrompt, type AttemptFeedback, type Complete, type FailureEvidence, type FailureJudgement, type Prompt } from './prompt.js';
import { changedFiles, copyProject, fingerprint } from './shadow.js';

/** Options of {@link generateTests}. */
export interface GenerateTestsOptions {
  /** The project. It is never modified unless `write` is set, and then only by adding one new file. */
  readonly workspace: string;
  /** The file under test, relative to the workspace. */
  readonly file: string;
  /** A function, class or `Class.method` in `file`. Default: every public function and method. */
  readonly symbol?: string;
  /** The LLM port. */
  readonly complete: Complete;
  /** Changed lines of `file`. Default: the lines of the target functions. */
  readonly changedLines?: readonly number[];
  /** Collaborators per target qualname from the dependency graph (gnn), added to the plan. Default none. */
  readonly graphCollaborators?: Readonly<Record<string, readonly string[]>>;
  /** Repair rounds after the first generation, at most 3. Default 3. */
  readonly maxRepairs?: number;
  /**
   * When generated tests still fail after the repairs, ask the LLM once whether the tests or the
   * code are wrong, with the failures as evidence (`GenerationReport.failureJudgement`). Default true.
   */
  readonly judgeFailures?: boolean;
  /** Add the kept tests to the project as a new file. Default false. */
  readonly write?: boolean;
  /** Changed-line coverage to aim for, in percent; below it a repair round asks for more tests. Default 90. */
  readonly coverageTarget?: number;
  /** Limit per pytest run. Default 120 000 ms. */
  readonly timeoutMs?: number;
  readonly python?: string;
  readonly toolsPython?: string;
  readonly isolation?: 'auto' | 'namespace' | 'env';
  readonly env?: NodeJS.ProcessEnv;
  /** Reuse a runner (and its probe cache). Default: a new one. */
  readonly runner?: TestRunner;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface GenerationAttempt {
  readonly attempt: number;
  /** Problems found before running: syntax errors, imports that do not resolve, existing tests touched. */
  readonly problems: readonly string[];
  readonly verdicts: readonly GeneratedTestVerdict[];
  readonly changedCoverage?: ChangedLinesCoverage;
}

/** What one generation run produced, with the evidence for each kept or rejected test. */
export interface GenerationReport {
  readonly file: string;
  readonly symbol?: string;
  readonly plan: TestPlan;
  /** The new test file, workspace-relative. */
  readonly testFile: string;
  /** The kept tests as a module; empty when nothing was kept. */
  readonly code: string;
  readonly written: boolean;
  /** LLM calls made (1 + repairs, + 1 when failures were judged). */
  readonly llmCalls: number;
  readonly attempts: readonly GenerationAttempt[];
  /** Final verdict per generated test of the best attempt. */
  readonly tests: readonly GeneratedTestVerdict[];
  readonly kept: number;
  readonly rejected: number;
  /** Changed-line coverage by existing tests alone, and with the kept tests. */
  readonly coverageBefore: ChangedLinesCoverage;
  readonly coverageAfter: ChangedLinesCoverage;
  /** Pass rate of the kept tests in the confirming run, in percent (target 100). */
  readonly keptPassRate: number;
  readonly targets: { readonly changedCoverage: number; readonly changedCoverageMet: boolean; readonly keptPassRateMet: boolean };
  /**
   * Present when generated tests of the final attempt failed or errored: one LLM judgement of
   * whether the tests or the code are wrong, with the evidence it was shown, so the caller (the
   * pipeline) can decide between repairing the code and dropping the tests.
   */
  readonly failureJudgement?: FailureJudgement;
}

/** Carries a typed error through the async body to the one boundary below. */
class Stop extends Error {
  constructor(readonly error: TestEngineError) {
    super(error.message);
  }
}

function must<T>(r: ResultAsync<T, TestEngineError>): Promise<T> {
  return r.match(
    (v) => v,
    (e) => {
      throw new Stop(e);
    },
  );
}

function fail(kind: 'invalid_input', field: string, message: string): never {
  throw new Stop(makeError(kind, message, { field }));
}

const exists = (p: string) => access(p).then(() => true, () => false);

function testFileName(analysis: CodeAnalysis, symbol: string | undefined, dir: string, suffix: boolean): string {
  const base = analysis.module.split('.').pop() ?? 'module';
  const sym = symbol === undefined ? '' : `_${symbol.replace(/\W+/g, '_').toLowerCase()}`;
  const name = suffix ? `${base}${sym}_yantra_test.py` : `test_${base}${sym}_yantra.py`;
  return path.posix.join(dir, name);
}

async function chooseTestFile(workspace: string, analysis: CodeAnalysis, symbol: string | undefined, testDirs: readonly string[], suffix: boolean): Promise<string> {
  const dir = testDirs.find((d) => d === 'tests' || d.startsWith('tests/')) ?? testDirs[0] ?? ((await exists(path.join(workspace, 'tests'))) ? 'tests' : path.posix.dirname(analysis.file));
  const first = testFileName(analysis, symbol, dir === '.' ? '' : dir, suffix);
  for (let i = 1; i < 100; i += 1) {
    const candidate = i === 1 ? first : first.replace(/\.py$/, `_${i}.py`);
    if (!(await exists(path.join(workspace, candidate)))) return candidate;
  }
  return first.replace(/\.py$/, `_${Date.now()}.py`);
}

function llmError(e: unknown): TestEngineError {
  const retryable = typeof e === 'object' && e !== null && 'retryable' in e && (e as { retryable: unknown }).retryable === true;
  const message = typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : describeUnknown(e);
  return makeError('llm_failed', `the LLM call failed: ${message}`, { retryable });
}

function problemsOf(v: ValidationResult): string[] {
  const out: string[] = [];
  if (v.syntaxError) out.push(`syntax error at line ${v.syntaxError.line}: ${v.syntaxError.message}`);
  for (const p of v.problems) out.push(`line ${p.line}: ${p.message}`);
  if (v.syntaxError === null && v.tests.length === 0) out.push('the module defines no test functions');
  return out;
}

/** The generated tests that failed or errored, as repair feedback and judgement evidence. */
function failingTests(verdicts: readonly GeneratedTestVerdict[]): FailureEvidence[] {
  return verdicts
    .filter((v) => v.reason === 'failed' || v.reason === 'error')
    .map((v) => ({ nodeId: v.nodeIds[0] ?? v.name, message: v.message ?? v.reason ?? 'failed', ...(v.traceback === undefined ? {} : { traceback: v.traceback }) }));
}

interface Scored {
  readonly attempt: GenerationAttempt;
  readonly code: string;
  readonly validation: ValidationResult | undefined;
  readonly baseline: readonly number[];
  readonly statements: readonly number[];
}

function score(s: Scored): number {
  const kept = s.attempt.verdicts.filter((v) => v.kept);
  return kept.reduce((n, v) => n + v.newLines.length, 0) * 1000 + kept.length;
}

async function generate(options: GenerateTestsOptions): Promise<GenerationReport> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  if (typeof options.complete !== 'function') fail('invalid_input', 'complete', 'complete (the LLM port) is required');
  const maxRepairs = Math.min(3, Math.max(0, options.maxRepairs ?? 3));
  const target = options.coverageTarget ?? 90;
  const workspace = await realpath(path.resolve(options.workspace)).catch(() => fail('invalid_input', 'workspace', `workspace ${options.workspace} does not exist`));
  const file = options.file.split(path.sep).join('/').replace(/^\.\//, '');
  if (path.isAbsolute(file) || file.split('/').includes('..') || !file.endsWith('.py')) {
    fail('invalid_input', 'file', `file must be a .py path inside the workspace, got ${options.file}`);
  }
  if (!(await exists(path.join(workspace, file)))) fail('invalid_input', 'file', `${file} does not exist in ${workspace}`);

  const scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), 'yantra-gen-')));
  try {
    const shadow = path.join(scratch, 'shadow');
    await copyProject(workspace, shadow);
    const toolsPython = options.toolsPython ?? defaultToolsPython();
    const interp = await must(
      detectInterpreter({ workspace, toolsPython, env, needCoverage: true, ...(options.python === undefined ? {} : { python: options.python }) }),
    );
    const helper: HelperContext = { python: interp.python, scratchDir: scratch, env };
    const analysis = await must(analyseFile(helper, shadow, file, options.symbol));
    if (analysis.diagnostics.length > 0) {
      const d = analysis.diagnostics[0];
      throw new Stop(makeError('analysis_failed', `${file} does not parse (line ${d?.line ?? 0}: ${d?.message ?? ''})`, { file }));
    }
    if (analysis.functions.length === 0) {
      fail('invalid_input', options.symbol === undefined ? 'file' : 'symbol', options.symbol === undefined ? `${file} has no functions to test` : `${options.symbol} is not a function or class in ${file}`);
    }
    const plan = buildPlan(analysis, options.graphCollaborators);
    const style = await must(readTestStyle(helper, shadow));
    const testFile = await chooseTestFile(workspace, analysis, options.symbol, style.testDirs, style.suffixNaming && !style.testFiles.some((f) => path.basename(f).startsWith('test_')));
    const targets = analysis.functions.filter((f) => plan.targets.includes(f.qualname));
    const changed = options.changedLines ?? [...new Set(targets.flatMap((f) => Array.from({ length: f.end - f.start + 1 }, (_, i) => f.start + i)))];
    const guarded = [...style.testFiles, ...(await listConftests(shadow, style.testDirs))];
    const before = await fingerprint(shadow, guarded);

    const runner = options.runner ?? createTestRunner();
    const runOnce = (): Promise<DetailedRun> =>
      must(
        runner.runDetailed({
          workspace: shadow,
          perTestCoverage: true,
          changedLines: { [file]: changed },
          timeoutMs: options.timeoutMs ?? 120_000,
          toolsPython,
          env,
          logger,
          // Detected once above; the shadow copy has no .venv of its own to detect.
          python: interp.python,
          ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
      );

    const first = generationPrompt(analysis, plan, style, testFile);
    const scored: Scored[] = [];
    let prompt: Prompt = first;
    let llmCalls = 0;
    for (let attempt = 0; attempt <= maxRepairs; attempt += 1) {
      llmCalls += 1;
      logger.info('asking the LLM for tests', { attempt, testFile });
      const reply = await options.complete(prompt).match(
        (text) => text,
        (e) => {
          throw new Stop(llmError(e));
        },
      );
      const code = extractCode(reply);
      await writeFile(path.join(shadow, testFile), code);
      const validation = await must(validateTestFile(helper, shadow, testFile));
      const problems = problemsOf(validation);
      let current: Scored;
      if (problems.length > 0) {
        current = { attempt: { attempt, problems, verdicts: [] }, code, validation, baseline: [], statements: [] };
      } else {
        const run = await runOnce();
        const touched = changedFiles(before, await fingerprint(shadow, guarded));
        if (touched.length > 0) {
          // Generated code rewrote existing tests: discard the attempt and restore the copies.
          await rm(shadow, { recursive: true, force: true });
          await copyProject(workspace, shadow);
          current = { attempt: { attempt, problems: [`it modified or deleted existing tests: ${touched.join(', ')}`], verdicts: [] }, code, validation, baseline: [], statements: [] };
        } else {
          const keep = applyKeepRule({
            testFile,
            names: validation.tests.map((t) => t.name),
            tests: run.report.tests,
            coverage: run.coverage,
            targetFile: file,
            changedLines: changed,
          });
          const runnerProblem = run.report.runnerError === undefined ? [] : [`${run.report.runnerError.kind}: ${run.report.runnerError.message}`];
          current = {
            attempt: {
              attempt,
              problems: runnerProblem,
              verdicts: keep.verdicts,
              ...(run.report.coverage?.changed === undefined ? {} : { changedCoverage: run.report.coverage.changed }),
            },
            code,
            validation,
            baseline: keep.baseline,
            statements: keep.statements,
          };
        }
      }
      scored.push(current);
      const failures = failingTests(current.attempt.verdicts);
      const covered = new Set([...current.baseline, ...current.attempt.verdicts.flatMap((v) => v.newLines)]);
      const missing = current.statements.filter((l) => !covered.has(l));
      const pct = current.statements.length === 0 ? 100 : (covered.size / current.statements.length) * 100;
      if (current.attempt.problems.length === 0 && failures.length === 0 && pct >= target) break;
      const feedback: AttemptFeedback = { code, problems: current.attempt.problems, failures, missingLines: missing };
      prompt = repairPrompt(first, feedback);
    }

    const best = scored.reduce((a, b) => (score(b) > score(a) ? b : a));
    let failureJudgement: FailureJudgement | undefined;
    const evidence = failingTests(best.attempt.verdicts);
    if (evidence.length > 0 && options.judgeFailures !== false) {
      llmCalls += 1;
      logger.info('asking the LLM to judge the failing tests', { failing: evidence.length });
      // A judgement that cannot be had leaves the failures reported as they are: it is advice.
      failureJudgement = await options.complete(judgePrompt(analysis, plan, best.code, evidence)).match(
        (reply) => parseJudgement(reply, evidence),
        (e): FailureJudgement => ({ verdict: 'unclear', reason: `the judgement call failed: ${llmError(e).message}`, evidence }),
      );
    }
    const keptNames = new Set(best.attempt.verdicts.filter((v) => v.kept).map((v) => v.name));
    const drop = (best.validation?.tests ?? []).filter((t) => !keptNames.has(t.name));
    const finalCode = keptNames.size === 0 ? '' : pruneTests(best.code, drop);

    // Confirm: the pruned module alone, with the existing tests, must pass and give the coverage.
    if (finalCode === '') await rm(path.join(shadow, testFile), { force: true });
    else await writeFile(path.join(shadow, testFile), finalCode);
    const confirm = await runOnce();
    const empty = changedCoverage({ [file]: changed }, {}, {});
    const coverageAfter = confirm.report.coverage?.changed ?? empty;
    const base = applyKeepRule({ testFile, names: [], tests: [], coverage: confirm.coverage, targetFile: file, changedLines: changed });
    const coverageBefore = changedCoverage({ [file]: changed }, { [file]: new Set(base.baseline) }, { [file]: new Set(base.statements) });
    const mine = confirm.report.tests.filter((t) => t.nodeId.startsWith(`${testFile}::`));
    const keptPassRate = mine.length === 0 ? (finalCode === '' ? 100 : 0) : Math.round((mine.filter((t) => t.outcome === 'passed').length / mine.length) * 10000) / 100;

    let written = false;
    if (options.write === true && finalCode !== '') {
      const dest = path.join(workspace, testFile);
      if (await exists(dest)) throw new Stop(makeError('io_failed', `${testFile} appeared in the project meanwhile; not overwriting it`, { path: dest }));
      await writeFileAtomic(dest, finalCode).match(
        () => undefined,
        (e) => {
          throw new Stop(makeError('io_failed', e.message, { path: dest }));
        },
      );
      written = true;
    }
    const keptCount = keptNames.size;
    return {
      file,
      ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
      plan,
      testFile,
      code: finalCode,
      written,
      llmCalls,
      attempts: scored.map((s) => s.attempt),
      tests: best.attempt.verdicts,
      kept: keptCount,
      rejected: best.attempt.verdicts.length - keptCount,
      coverageBefore,
      coverageAfter,
      keptPassRate,
      targets: { changedCoverage: target, changedCoverageMet: coverageAfter.percent >= target, keptPassRateMet: keptCount > 0 && keptPassRate === 100 },
      ...(failureJudgement === undefined ? {} : { failureJudgement }),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function listConftests(root: string, dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of ['.', ...dirs]) {
    const rel = path.posix.join(d, 'conftest.py');
    if (await exists(path.join(root, rel))) out.push(rel.replace(/^\.\//, ''));
  }
  return [...new Set(out)];
}

/**
 * Generates pytest tests for `file` (or one `symbol` in it): analyses the code, plans the cases,
 * asks the LLM through `complete`, validates the module (parses, imports resolve, existing tests
 * untouched), runs it in a shadow copy, and keeps a test only if it passes and covers changed
 * lines the existing tests miss. Failing tests are reported with their reason; up to 3 repair
 * rounds feed failures and uncovered lines back to the LLM.
 */
export function generateTests(options: GenerateTestsOptions): ResultAsync<GenerationReport, TestEngineError> {
  return ResultAsync.fromPromise(generate(options), (e): TestEngineError =>
    e instanceof Stop ? e.error : makeError('io_failed', `test generation failed: ${describeUnknown(e)}`, { path: options.workspace }),
  );
}
