import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeUnknown } from '@yantra/shared';
import { ResultAsync, okAsync } from 'neverthrow';
import { invalidInput, ioFailed, type TestEngineError } from '../errors.js';
import { PLUGIN_MODULE, PLUGIN_SOURCE } from './plugin-source.js';

/** The per-run temp directory: HOME, TMPDIR, the plugin, and the reports pytest writes. */
export interface WorkDir {
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  readonly pluginDir: string;
  readonly out: string;
}

export function makeWorkDir(): ResultAsync<WorkDir, TestEngineError> {
  const work = async (): Promise<WorkDir> => {
    const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'yantra-test-')));
    const dirs: WorkDir = {
      root,
      home: path.join(root, 'home'),
      tmp: path.join(root, 'tmp'),
      pluginDir: path.join(root, 'plugin'),
      out: path.join(root, 'out'),
    };
    await Promise.all([dirs.home, dirs.tmp, dirs.pluginDir, dirs.out].map((d) => mkdir(d, { recursive: true })));
    await writeFile(path.join(dirs.pluginDir, `${PLUGIN_MODULE}.py`), PLUGIN_SOURCE);
    return dirs;
  };
  return ResultAsync.fromPromise(work(), (e) => ioFailed(os.tmpdir(), `cannot create a temp dir: ${describeUnknown(e)}`));
}

export function removeWorkDir(dir: WorkDir): ResultAsync<void, never> {
  return ResultAsync.fromSafePromise(rm(dir.root, { recursive: true, force: true }).catch(() => undefined));
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
