import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown } from '@yantra/shared';
import { ResultAsync, errAsync, okAsync } from 'neverthrow';
import { invalidInput, ioFailed, type TestEngineError } from '../errors.js';
import { LAUNCHER_MODULE, LAUNCHER_SOURCE } from './launcher-source.js';
import { PLUGIN_MODULE, PLUGIN_SOURCE } from './plugin-source.js';

/** The per-run temp directory: HOME, TMPDIR, the plugin, and the reports pytest writes. */
export interface WorkDir {
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  readonly pluginDir: string;
  readonly out: string;
  /** The launcher script every run goes through (in `pluginDir`). */
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

export function makeWorkDir(): ResultAsync<WorkDir, TestEngineError> {
  try {
    // The sandbox binds this path: it must be the real one (the OS temp dir may be a symlink).
    const root = mkdtempSync(path.join(realTmpDir(), 'yantra-test-'));
    const dirs: WorkDir = {
      root,
      home: path.join(root, 'home'),
      tmp: path.join(root, 'tmp'),
      pluginDir: path.join(root, 'plugin'),
      out: path.join(root, 'out'),
      launcher: path.join(root, 'plugin', `${LAUNCHER_MODULE}.py`),
    };
    for (const d of [dirs.home, dirs.tmp, dirs.pluginDir, dirs.out]) mkdirSync(d);
    writeFileSync(path.join(dirs.pluginDir, `${PLUGIN_MODULE}.py`), PLUGIN_SOURCE);
    writeFileSync(dirs.launcher, LAUNCHER_SOURCE);
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
