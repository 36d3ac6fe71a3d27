import { promises as fsp } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { makeError, writeFileAtomic } from '@yantra/shared';
import { gitArgs, type RepoContext } from './context.js';
import { readCommitSide } from './diff.js';
import { failWith } from './errors.js';
import { confinePath, confinePaths } from './paths.js';
import { headOid, stagedKind, statusRows, unstagedKind } from './status.js';

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stages the given paths (files or directories) like `git add`: new and modified files are
 * added, deleted tracked files are removed from the index, ignored files are refused.
 * Returns the repo-relative paths whose index entry changed.
 */
export async function stagePaths(ctx: RepoContext, inputs: readonly string[]): Promise<string[]> {
  if (inputs.length === 0) failWith(makeError('invalid_argument', 'no paths to stage'));
  const rels = await confinePaths(ctx.dir, inputs);
  const toAdd = new Set<string>();
  const toRemove = new Set<string>();
  // One status pass over all the paths: each pass walks the directories they lead to.
  const rows = await statusRows(ctx, rels.includes('.') ? undefined : rels);
  for (const rel of rels) {
    const matched = rel === '.' ? rows : rows.filter(([p]) => p === rel || p.startsWith(`${rel}/`));
    if (matched.length === 0) {
      if (!(await exists(path.join(ctx.dir, rel)))) {
        failWith(makeError('not_found', `pathspec did not match any file: ${rel}`, { target: rel }));
      }
      if ((await git.isIgnored({ ...gitArgs(ctx), filepath: rel })) || (await git.isIgnored({ ...gitArgs(ctx), filepath: `${rel}/` }))) {
        failWith(makeError('path_ignored', `${rel} is ignored by .gitignore`, { path: rel }));
      }
    }
  }
  for (const row of rows) {
    const [file, , workdir, stage] = row;
    if (workdir === 0) {
      if (stage !== 0) toRemove.add(file);
    } else if (stage === 0 || unstagedKind(row) !== undefined) {
      toAdd.add(file);
    }
  }
  if (toAdd.size > 0) await git.add({ ...gitArgs(ctx), filepath: [...toAdd], parallel: true });
  for (const file of toRemove) await git.remove({ ...gitArgs(ctx), filepath: file });
  return [...toAdd, ...toRemove].sort();
}

/** Unstages paths (all staged paths when none are given), like `git reset [-- paths]`. */
export async function unstagePaths(ctx: RepoContext, inputs?: readonly string[]): Promise<string[]> {
  const rels = inputs && inputs.length > 0 ? await confinePaths(ctx.dir, inputs) : undefined;
  const head = await headOid(ctx);
  const rows = await statusRows(ctx, rels && !rels.includes('.') ? rels : undefined);
  const reset: string[] = [];
  for (const row of rows) {
    if (stagedKind(row) === undefined) continue;
    const file = row[0];
    if (head === null) await git.remove({ ...gitArgs(ctx), filepath: file });
    else await git.resetIndex({ ...gitArgs(ctx), filepath: file, ref: head });
    reset.push(file);
  }
  return reset.sort();
}

/** Writes a file's content from a commit into the working tree (atomically) and the index. */
export async function restoreFromCommit(ctx: RepoContext, commit: string, file: string): Promise<boolean> {
  const side = await readCommitSide(ctx, commit, file);
  // Tree paths are data too: a symlinked directory must not redirect the write outside.
  const full = path.join(ctx.dir, await confinePath(ctx.dir, file));
  if (side.content === null) return false;
  if (side.mode === 0o120000) {
    await fsp.rm(full, { force: true });
    await fsp.mkdir(path.dirname(full), { recursive: true });
    await fsp.symlink(new TextDecoder().decode(side.content), full);
  } else {
    await writeFileAtomic(full, side.content, { mode: side.mode === 0o100755 ? 0o755 : 0o644 }).match(
      () => undefined,
      (e) => failWith(makeError('io_failed', e.message)),
    );
  }
  await git.add({ ...gitArgs(ctx), filepath: file });
  return true;
}

/**
 * Restores files (or every tracked file under a directory) from a commit, working tree and
 * index both, like `git checkout <rev> -- paths`. Returns the restored paths.
 */
export async function checkoutPaths(ctx: RepoContext, commit: string, inputs: readonly string[]): Promise<string[]> {
  if (inputs.length === 0) failWith(makeError('invalid_argument', 'no paths to check out'));
  const rels = await confinePaths(ctx.dir, inputs);
  const files = await git.listFiles({ ...gitArgs(ctx), ref: commit });
  const restored: string[] = [];
  for (const rel of rels) {
    const matches = rel === '.' ? files : files.filter((f) => f === rel || f.startsWith(`${rel}/`));
    if (matches.length === 0) {
      failWith(makeError('not_found', `${rel} is not in ${commit.slice(0, 7)}`, { target: rel }));
    }
    for (const file of matches) if (await restoreFromCommit(ctx, commit, file)) restored.push(file);
  }
  return restored.sort();
}
