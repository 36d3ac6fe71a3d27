import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { TestEngineError } from '../errors.js';
import type { RunEnvironment } from '../report.js';

export interface Interpreter {
  readonly python: string;
  readonly source: RunEnvironment['interpreterSource'];
  readonly hasPytest: boolean;
  readonly hasCoverage: boolean;
  readonly note?: string;
}

export interface DetectOptions {
  readonly workspace: string;
  /** A configured interpreter; wins over detection. */
  readonly python?: string;
  /** Yantra's tool venv interpreter, the fallback when the project's has no pytest. */
  readonly toolsPython: string;
  /** Environment used to find `python3` on PATH. */
  readonly env: NodeJS.ProcessEnv;
  /** Whether coverage.py is needed too. */
  readonly needCoverage: boolean;
}

/** `<repo>/.venv/bin/python`, where `<repo>` is the Yantra checkout this package lives in. */
export function defaultToolsPython(): string {
  // src/runner/*.ts and dist/*.js sit at different depths; walk up to the folder holding packages/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.basename(dir) !== 'packages' && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(path.dirname(dir), '.venv', 'bin', 'python');
}

const PROBE = 'import importlib.util as u, json, sys; print(json.dumps({"exe": sys.executable, "pytest": u.find_spec("pytest") is not None, "coverage": u.find_spec("coverage") is not None}))';

interface Probe {
  readonly exe: string;
  readonly pytest: boolean;
  readonly coverage: boolean;
}

function probe(python: string, cwd: string, env: NodeJS.ProcessEnv): ResultAsync<Probe | undefined, never> {
  // Only our own one-liner runs here (no project code), with a scrubbed env; pyenv shims need their vars.
  const childEnv = scrubEnv(env, { allow: ['PATH', 'LANG', 'LC_ALL', 'HOME', 'PYENV_ROOT', 'PYENV_VERSION'] });
  return runProcess({ argv: [python, '-I', '-c', PROBE], cwd, env: childEnv, timeoutMs: 20_000 })
    .map((r) => {
      if (r.exitCode !== 0) return undefined;
      try {
        return JSON.parse(r.stdout.trim()) as Probe;
      } catch {
        return undefined;
      }
    })
    .orElse(() => okAsync(undefined));
}

function exists(p: string): ResultAsync<boolean, never> {
  return ResultAsync.fromSafePromise(access(p).then(
    () => true,
    () => false,
  ));
}

/**
 * Picks the interpreter: a configured path, else `<ws>/.venv`, else `<ws>/venv`, else `python3`
 * from PATH. When pytest (or coverage.py, if needed) is not importable there, falls back to the
 * tool venv and says so in `note`.
 */
export function detectInterpreter(options: DetectOptions): ResultAsync<Interpreter, TestEngineError> {
  const ws = options.workspace;
  const candidates: { python: string; source: Interpreter['source'] }[] = [];
  if (options.python !== undefined) candidates.push({ python: options.python, source: 'configured' });
  const local = [path.join(ws, '.venv', 'bin', 'python'), path.join(ws, 'venv', 'bin', 'python')];
  return ResultAsync.combine(local.map(exists)).andThen((found) => {
    local.forEach((p, i) => {
      if (found[i] === true) candidates.push({ python: p, source: 'venv' });
    });
    candidates.push({ python: 'python3', source: 'system' });
    const tried: string[] = [];
    const pick = (i: number): ResultAsync<Interpreter, TestEngineError> => {
      const c = candidates[i];
      if (c === undefined) return fallback(tried);
      // Only the first candidate that runs at all is the project's interpreter.
      return probe(c.python, ws, options.env).andThen((p) => {
        tried.push(c.python);
        if (p === undefined) return pick(i + 1);
        if (p.pytest && (p.coverage || !options.needCoverage)) {
          return okAsync<Interpreter, TestEngineError>({ python: p.exe, source: c.source, hasPytest: true, hasCoverage: p.coverage });
        }
        const missing = p.pytest ? 'coverage.py' : 'pytest';
        return fallback(tried, `${missing} is not importable in ${p.exe}; ran with Yantra's tool venv and the project on PYTHONPATH`);
      });
    };
    const fallback = (triedSoFar: string[], note?: string): ResultAsync<Interpreter, TestEngineError> =>
      probe(options.toolsPython, ws, options.env).andThen((p) => {
        if (p === undefined) {
          return errAsync<Interpreter, TestEngineError>(
            makeError('python_not_found', `no usable Python found (tried ${[...triedSoFar, options.toolsPython].join(', ')})`, {
              tried: [...triedSoFar, options.toolsPython],
            }),
          );
        }
        return okAsync<Interpreter, TestEngineError>({
          python: p.exe,
          source: 'tools',
          hasPytest: p.pytest,
          hasCoverage: p.coverage,
          note: note ?? `the project's interpreter did not run; used Yantra's tool venv`,
        });
      });
    return pick(0);
  });
}
