import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown, errnoCode } from '@yantra/shared';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { invalidInput, ioFailed, type TestEngineError } from '../errors.js';
import { LAUNCHER_MODULE, LAUNCHER_SOURCE } from './launcher-source.js';
import { HOOKS_MODULE, PLUGIN_MODULE, PLUGIN_SHIM_SOURCE, PLUGIN_SOURCE } from './plugin-source.js';

/** The per-run temp directory (HOME, TMPDIR, the reports pytest writes) and where the Python code is. */
export interface WorkDir {
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  readonly out: string;
  /** The launcher and the pytest plugin (shared by the runs of this process, see {@link codeDir}). */
  readonly pluginDir: string;
  /** The launcher module every run goes through (in `pluginDir`). */
  readonly launcher: string;
}

// The few small metadata operations of a run (a temp dir, two short files, reading the reports)
// are synchronous on purpose: each asynchronous one is a round trip through libuv's thread pool,
// and on a loaded machine every round trip waits for a core. They take microseconds each.

let realTmp: { readonly dir: string; readonly real: string } | undefined;

/** The real path of the OS temp dir, resolved once per process (per TMPDIR). */
function realTmpDir(): string {
  const dir = os.tmpdir();
  if (realTmp?.dir !== dir) realTmp = { dir, real: realpathSync(dir) };
  return realTmp.real;
}

let shared: string | undefined;

const CODE_FILES: readonly (readonly [string, string])[] = [
  [LAUNCHER_MODULE, LAUNCHER_SOURCE],
  [PLUGIN_MODULE, PLUGIN_SHIM_SOURCE],
  [HOOKS_MODULE, PLUGIN_SOURCE],
];

/**
 * The launcher and plugin sources, written once per process into a private (0700) temp dir and
 * removed when the process exits. Compiling them costs Python about 3–4 ms per run; in one place
 * their bytecode is compiled once (the launcher precompiles the plugin's hooks before the
 * filesystem turns read-only) and reused by every later run of the session. Re-created if something removed it.
 */
function codeDir(): string {
  if (shared !== undefined && CODE_FILES.every(([name]) => existsSync(path.join(shared as string, `${name}.py`)))) return shared;
  if (shared === undefined) removeStaleCodeDirs();
  const dir = mkdtempSync(path.join(realTmpDir(), `${CODE_PREFIX}${process.pid}-`));
  for (const [name, source] of CODE_FILES) writeFileSync(path.join(dir, `${name}.py`), source);
  if (shared === undefined) process.once('exit', () => removeCodeDir());
  shared = dir;
  return dir;
}

const CODE_PREFIX = 'yantra-test-code-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/** Code dirs of processes that ended without their exit hook (killed test workers, crashes). */
function removeStaleCodeDirs(): void {
  try {
    for (const name of readdirSync(realTmpDir())) {
      const pid = name.startsWith(CODE_PREFIX) ? Number(name.slice(CODE_PREFIX.length).split('-')[0]) : NaN;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
        rmSync(path.join(realTmpDir(), name), { recursive: true, force: true });
      }
    }
  } catch {
    // Best effort: a dir we cannot list or remove is only litter.
  }
}

function removeCodeDir(): void {
  if (shared !== undefined) rmSync(shared, { recursive: true, force: true });
}

export function makeWorkDir(): ResultAsync<WorkDir, TestEngineError> {
  try {
    // The sandbox binds this path: it must be the real one (the OS temp dir may be a symlink).
    const root = mkdtempSync(path.join(realTmpDir(), 'yantra-test-'));
    const code = codeDir();
    const dirs: WorkDir = {
      root,
      home: path.join(root, 'home'),
      tmp: path.join(root, 'tmp'),
      out: path.join(root, 'out'),
      pluginDir: code,
      launcher: path.join(code, `${LAUNCHER_MODULE}.py`),
    };
    for (const d of [dirs.home, dirs.tmp, dirs.out]) mkdirSync(d);
    return okAsync(dirs);
  } catch (e) {
    return errAsync(ioFailed(os.tmpdir(), `cannot create a temp dir: ${describeUnknown(e)}`));
  }
}

export function removeWorkDir(dir: WorkDir): ResultAsync<void, never> {
  return ResultAsync.fromSafePromise(rm(dir.root, { recursive: true, force: true }).catch(() => undefined));
}

/**
 * Removes the work dir without making the caller wait: the report is already read, so the
 * deletion runs off the critical path (a pending fs operation keeps Node alive until it is done).
 */
export function discardWorkDir(dir: WorkDir): void {
  rm(dir.root, { recursive: true, force: true }).catch(() => undefined);
}

/** Reads a file, answering `undefined` when it is absent (pytest may not have written it). */
export function readOptional(file: string): ResultAsync<string | undefined, never> {
  try {
    return okAsync(readFileSync(file, 'utf8'));
  } catch {
    return okAsync(undefined);
  }
}

/** Reads a file's bytes, `undefined` when it is absent. */
export function readBytesOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Resolves the workspace to a real absolute directory, or a typed error. */
export function resolveWorkspace(workspace: string): ResultAsync<string, TestEngineError> {
  if (typeof workspace !== 'string' || workspace === '') return errAsync(invalidInput('workspace', 'workspace is required'));
  try {
    const real = realpathSync(path.resolve(workspace));
    if (!statSync(real).isDirectory()) throw new Error('not a directory');
    return okAsync(real);
  } catch (e) {
    return errAsync(invalidInput('workspace', `workspace ${workspace} is not a readable directory: ${describeUnknown(e)}`));
  }
}
