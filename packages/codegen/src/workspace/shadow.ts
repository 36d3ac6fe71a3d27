import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ResultAsync } from 'neverthrow';
import { describeUnknown, makeError, type YantraError } from '@yantra/shared';
import type { FileChange } from '../edits/change.js';

export type WorkspaceError = YantraError<'copy_failed' | 'write_failed' | 'conflict'> & { readonly paths?: readonly string[] };

/** Directories never copied into a shadow workspace. */
const SKIP = new Set(['.git', '.yantra', '.venv', 'venv', 'node_modules', '__pycache__', '.pytest_cache', '.mypy_cache']);

/** A temp copy of the project where a change is applied and gated before the user's tree is touched. */
export interface ShadowWorkspace {
  readonly root: string;
  readonly projectRoot: string;
  /** Reads a project-relative file from the shadow (null when missing). */
  read(relativePath: string): string | null;
  /** Writes the change's files into the shadow. */
  apply(files: readonly FileChange[]): ResultAsync<void, WorkspaceError>;
  /** Restores the shadow to the project's state for the given files (before a repair attempt). */
  reset(files: readonly FileChange[]): ResultAsync<void, WorkspaceError>;
  dispose(): Promise<void>;
}

export function createShadowWorkspace(projectRoot: string, tempRoot: string = os.tmpdir()): ResultAsync<ShadowWorkspace, WorkspaceError> {
  const work = async (): Promise<ShadowWorkspace> => {
    const root = await mkdtemp(path.join(tempRoot, 'yantra-shadow-'));
    await cp(projectRoot, root, {
      recursive: true,
      filter: (src) => !SKIP.has(path.basename(src)) || src === projectRoot,
    });
    const write = async (files: readonly FileChange[], pick: (f: FileChange) => string | null) => {
      for (const f of files) {
        const target = path.join(root, f.path);
        const content = pick(f);
        if (content === null) await rm(target, { force: true });
        else {
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
    };
    return {
      root,
      projectRoot,
      read: (p) => {
        const full = path.join(root, p);
        return existsSync(full) ? readFileSync(full, 'utf8') : null;
      },
      apply: (files) =>
        ResultAsync.fromPromise(write(files, (f) => f.after), (e) => makeError('write_failed', `shadow write failed: ${describeUnknown(e)}`)),
      reset: (files) =>
        ResultAsync.fromPromise(write(files, (f) => f.before), (e) => makeError('write_failed', `shadow reset failed: ${describeUnknown(e)}`)),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  };
  return ResultAsync.fromPromise(work(), (e) => makeError('copy_failed', `cannot create the shadow workspace: ${describeUnknown(e)}`));
}

function digest(text: string | null): string {
  return text === null ? 'missing' : createHash('sha256').update(text).digest('hex');
}

/**
 * Copies a validated change into the user's working tree: every file or none. Refuses when the
 * user edited a touched file since the change was made (its content no longer equals `before`).
 * New contents are staged as sibling temp files first, then renamed into place; if a rename
 * fails, the files already replaced are restored.
 */
export function applyToWorkingTree(projectRoot: string, files: readonly FileChange[]): ResultAsync<void, WorkspaceError> {
  const work = async () => {
    const conflicts: string[] = [];
    for (const f of files) {
      const full = path.join(projectRoot, f.path);
      const now = existsSync(full) ? await readFile(full, 'utf8') : null;
      if (digest(now) !== digest(f.before)) conflicts.push(f.path);
    }
    if (conflicts.length > 0) {
      throw Object.assign(new Error(`edited meanwhile: ${conflicts.join(', ')}`), { conflicts });
    }
    const staged: { full: string; tmp: string; before: string | null }[] = [];
    try {
      for (const f of files) {
        const full = path.join(projectRoot, f.path);
        await mkdir(path.dirname(full), { recursive: true });
        const tmp = `${full}.yantra-${process.pid}.tmp`;
        await writeFile(tmp, f.after);
        staged.push({ full, tmp, before: f.before });
      }
    } catch (e) {
      await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
      throw e;
    }
    const done: typeof staged = [];
    try {
      for (const s of staged) {
        await rename(s.tmp, s.full);
        done.push(s);
      }
    } catch (e) {
      for (const s of done) {
        if (s.before === null) await rm(s.full, { force: true });
        else await writeFile(s.full, s.before);
      }
      await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
      throw e;
    }
  };
  return ResultAsync.fromPromise(work(), (e): WorkspaceError => {
    const conflicts = (e as { conflicts?: string[] }).conflicts;
    return conflicts
      ? makeError('conflict', `the user edited ${conflicts.join(', ')} while the change was validated; nothing was written`, { paths: conflicts })
      : makeError('write_failed', `cannot write the change: ${describeUnknown(e)}; the working tree is unchanged`);
  });
}
