import { promises as fsp } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { ResultAsync } from 'neverthrow';
import { makeError } from '@yantra/shared';
import { resolveAuthor } from './committing.js';
import { gitArgs, type RepoContext } from './context.js';
import { diffCommits } from './diff.js';
import { failWith, toGitError, type GitError, type UndoRefusal } from './errors.js';
import { RUN_TRAILER } from './gate.js';
import type { Repository } from './repository.js';
import { restoreFromCommit } from './staging.js';
import { headOid, isUntracked, stagedKind, statusRows, unstagedKind } from './status.js';

/** What `undoLast` did. */
export interface UndoResult {
  /** The new revert commit. */
  readonly sha: string;
  /** The Yantra commit it reverts. */
  readonly reverted: string;
  readonly message: string;
  /** Paths restored to their state before the reverted commit. */
  readonly files: readonly string[];
}

/** The trailer on a revert commit, naming the commit it reverts. */
export const REVERTS_TRAILER = 'Yantra-Reverts';

function refuse(reason: UndoRefusal, message: string, paths?: readonly string[]): never {
  return failWith(makeError('undo_refused', message, { reason, ...(paths ? { paths } : {}) }));
}

/** The `Yantra-Run` trailer value, read from the message's last paragraph only. */
export function yantraRunOf(message: string): string | undefined {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs.at(-1) : undefined;
  const m = last ? new RegExp(`^${RUN_TRAILER}: (\\S+)$`, 'm').exec(last) : null;
  return m?.[1];
}

async function isPushed(ctx: RepoContext, oid: string): Promise<string | undefined> {
  for (const { remote } of await git.listRemotes({ ...gitArgs(ctx) })) {
    for (const branch of await git.listBranches({ ...gitArgs(ctx), remote })) {
      const ref = `refs/remotes/${remote}/${branch}`;
      let tip: string;
      try {
        tip = await git.resolveRef({ ...gitArgs(ctx), ref });
      } catch {
        continue;
      }
      if (tip === oid || (await git.isDescendent({ ...gitArgs(ctx), oid: tip, ancestor: oid, depth: -1 }))) return `${remote}/${branch}`;
    }
  }
  return undefined;
}

async function undo(ctx: RepoContext): Promise<UndoResult> {
  const head = await headOid(ctx);
  if (head === null) refuse('no_commits', 'the repository has no commits');
  const { commit } = await git.readCommit({ ...gitArgs(ctx), oid: head });
  const runId = yantraRunOf(commit.message);
  if (runId === undefined) refuse('not_yantra', `the last commit ${head.slice(0, 7)} was not made by Yantra (no ${RUN_TRAILER} trailer)`);
  if (commit.parent.length > 1) refuse('merge', `the last commit ${head.slice(0, 7)} is a merge`);
  const parent = commit.parent[0];
  if (parent === undefined) refuse('root_commit', `the last commit ${head.slice(0, 7)} is the first commit`);
  const pushedTo = await isPushed(ctx, head);
  if (pushedTo) refuse('pushed', `the last commit ${head.slice(0, 7)} is already on ${pushedTo}; revert it with a normal commit instead`);

  const touched = (await diffCommits(ctx, parent, head)).files.map((f) => f.path);
  const rows = await statusRows(ctx, touched);
  const dirty = rows.filter((r) => stagedKind(r) || unstagedKind(r) || isUntracked(r)).map((r) => r[0]);
  if (dirty.length > 0) refuse('dirty_files', `files of the last commit have uncommitted changes: ${dirty.join(', ')}`, dirty);

  // A new commit whose tree is the parent's: history is only ever added to, never rewritten.
  const { commit: parentCommit } = await git.readCommit({ ...gitArgs(ctx), oid: parent });
  const subject = commit.message.split('\n', 1)[0] ?? '';
  const message = `Revert "${subject}"\n\nThis reverts commit ${head}.\n\n${REVERTS_TRAILER}: ${head}\n`;
  const who = await resolveAuthor(ctx);
  const identity = { ...who, timestamp: Math.floor(ctx.clock().getTime() / 1000), timezoneOffset: 0 };
  const sha = await git.commit({ ...gitArgs(ctx), message, tree: parentCommit.tree, parent: [head], author: identity, committer: identity });

  for (const file of touched) {
    if (!(await restoreFromCommit(ctx, parent, file))) {
      await fsp.rm(path.join(ctx.dir, file), { force: true });
      await git.remove({ ...gitArgs(ctx), filepath: file });
    }
  }
  return { sha, reverted: head, message, files: touched };
}

/**
 * Reverts the last commit when Yantra made it, with a new revert commit (history is never
 * rewritten). Refuses, with `undo_refused` and a reason, when the last commit has no
 * `Yantra-Run` trailer, is a merge or the first commit, is reachable from a remote-tracking
 * branch (pushed), or when any file it touched has uncommitted changes.
 */
export function undoLast(repo: Repository): ResultAsync<UndoResult, GitError> {
  return ResultAsync.fromPromise(undo(repo.context), toGitError);
}
