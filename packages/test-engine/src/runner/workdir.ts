import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown } from '@yantra/shared';
import { ResultAsync, okAsync } from 'neverthrow';
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

let realTmp: { readonly dir: string; readonly real: Promise<string> } | undefined;

/** The real path of the OS temp dir, resolved once per process (per TMPDIR). */
function realTmpDir(): Promise<string> {
  const dir = os.tmpdir();
  if (realTmp?.dir !== dir) realTmp = { dir, real: realpath(dir) };
  return realTmp.real;
}

export function makeWorkDir(): ResultAsync<WorkDir, TestEngineError> {
  const work = async (): Promise<WorkDir> => {
    // The sandbox binds this path: it must be the real one (the OS temp dir may be a symlink).
    const root = await mkdtemp(path.join(await realTmpDir(), 'yantra-test-'));
    const dirs: WorkDir = {
      root,
      home: path.join(root, 'home'),
      tmp: path.join(root, 'tmp'),
      pluginDir: path.join(root, 'plugin'),
      out: path.join(root, 'out'),
      launcher: path.join(root, 'plugin', `${LAUNCHER_MODULE}.py`),
    };
    await Promise.all([dirs.home, dirs.tmp, dirs.pluginDir, dirs.out].map((d) => mkdir(d, { recursive: true })));
    await Promise.all([writeFile(path.join(dirs.pluginDir, `${PLUGIN_MODULE}.py`), PLUGIN_SOURCE), writeFile(dirs.launcher, LAUNCHER_SOURCE)]);
    return dirs;
  };
  return ResultAsync.fromPromise(work(), (e) => ioFailed(os.tmpdir(), `cannot create a temp dir: ${describeUnknown(e)}`));
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
  return ResultAsync.fromSafePromise(readFile(file, 'utf8').catch(() => undefined));
}

/** Resolves the workspace to a real absolute directory, or a typed error. */
export function resolveWorkspace(workspace: string): ResultAsync<string, TestEngineError> {
  if (typeof workspace !== 'string' || workspace === '') {
    return ResultAsync.fromPromise(Promise.reject(new Error('empty')), () => invalidInput('workspace', 'workspace is required'));
  }
  return ResultAsync.fromPromise(
    (async () => {
      const real = await realpath(path.resolve(workspace));
      if (!(await stat(real)).isDirectory()) throw new Error('not a directory');
      return real;
    })(),
    (e) => invalidInput('workspace', `workspace ${workspace} is not a readable directory: ${describeUnknown(e)}`),
  ).andThen((real) => okAsync(real));
}
