import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeUnknown, makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import type { TestEngineError } from '../errors.js';
import { HELPER_SOURCE } from './helper-source.js';

export interface ParamInfo {
  readonly name: string;
  readonly kind: 'positional' | 'varargs' | 'keyword' | 'kwargs';
  readonly annotation: string | null;
  readonly default: string | null;
}

export interface RaiseInfo {
  readonly line: number;
  readonly exception: string;
  readonly message: string | null;
  /** The condition of the innermost `if` around the raise, if any. */
  readonly guard: string | null;
}

export interface FunctionInfo {
  readonly name: string;
  readonly qualname: string;
  readonly className: string | null;
  readonly isAsync: boolean;
  /** First line including decorators. */
  readonly start: number;
  readonly line: number;
  readonly end: number;
  readonly params: readonly ParamInfo[];
  readonly returns: string | null;
  readonly decorators: readonly string[];
  readonly docstring: string;
  readonly raises: readonly RaiseInfo[];
  readonly branches: readonly { readonly line: number; readonly kind: string; readonly condition: string | null }[];
  readonly earlyReturns: readonly { readonly line: number; readonly value: string | null; readonly guard: string | null }[];
  /** Names this function calls: its collaborators. */
  readonly calls: readonly string[];
}

/** What the target file holds, from Python's `ast`. A file that does not parse has diagnostics, not an error. */
export interface CodeAnalysis {
  readonly file: string;
  readonly module: string;
  readonly functions: readonly FunctionInfo[];
  readonly classes: readonly { readonly name: string; readonly line: number; readonly start: number; readonly end: number; readonly bases: readonly string[] }[];
  readonly imports: readonly string[];
  readonly diagnostics: readonly { readonly line: number; readonly message: string }[];
  readonly source: string;
}

export interface ValidationResult {
  readonly ok: boolean;
  readonly syntaxError: { readonly line: number; readonly message: string } | null;
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** Top-level test functions and Test classes with their line spans (decorators included). */
  readonly tests: readonly { readonly name: string; readonly start: number; readonly end: number }[];
  readonly fixtures: readonly string[];
}

/** How the project's existing tests look, so generated ones fit in. */
export interface TestStyle {
  readonly testFiles: readonly string[];
  readonly testDirs: readonly string[];
  readonly suffixNaming: boolean;
  readonly fixtures: readonly { readonly name: string; readonly file: string }[];
  readonly testClasses: number;
  readonly testFunctions: number;
  readonly parametrized: number;
  readonly sampleImports: readonly string[];
}

export interface HelperContext {
  readonly python: string;
  /** A private directory the helper script is written into. */
  readonly scratchDir: string;
  readonly env: NodeJS.ProcessEnv;
}

function runHelper<T>(ctx: HelperContext, args: string[], root: string, file: string): ResultAsync<T, TestEngineError> {
  const script = path.join(ctx.scratchDir, 'yantra_analyse.py');
  return ResultAsync.fromPromise(writeFile(script, HELPER_SOURCE), (e) =>
    makeError('io_failed', `cannot write the analysis helper: ${describeUnknown(e)}`, { path: script }),
  )
    .andThen(() =>
      runProcess({
        argv: [ctx.python, '-I', script, ...args],
        cwd: root,
        env: scrubEnv(ctx.env, { set: { HOME: ctx.scratchDir } }),
        timeoutMs: 60_000,
        limits: { memoryMb: 2048, fileSizeMb: 64 },
      }).mapErr((e): TestEngineError => makeError('spawn_failed', e.message, { program: e.program })),
    )
    .andThen((r) => {
      if (r.exitCode !== 0) {
        return errAsync<T, TestEngineError>(makeError('analysis_failed', `the analysis helper failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, { file }));
      }
      try {
        return okAsync<T, TestEngineError>(JSON.parse(r.stdout) as T);
      } catch (e) {
        return errAsync<T, TestEngineError>(makeError('analysis_failed', `the analysis helper printed no JSON: ${describeUnknown(e)}`, { file }));
      }
    });
}

/** Analyses `file` (relative to `root`), narrowed to `symbol` (a function, class or `Class.method`) when given. */
export function analyseFile(ctx: HelperContext, root: string, file: string, symbol?: string): ResultAsync<CodeAnalysis, TestEngineError> {
  return runHelper<CodeAnalysis>(ctx, ['analyse', root, file, ...(symbol === undefined ? [] : [symbol])], root, file);
}

/** Parses a generated test file and checks that every import resolves (in the project or installed). */
export function validateTestFile(ctx: HelperContext, root: string, file: string): ResultAsync<ValidationResult, TestEngineError> {
  return runHelper<ValidationResult>(ctx, ['validate', root, file], root, file);
}

export function readTestStyle(ctx: HelperContext, root: string): ResultAsync<TestStyle, TestEngineError> {
  return runHelper<TestStyle>(ctx, ['style', root], root, root);
}
