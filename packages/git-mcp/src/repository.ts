import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { ResultAsync } from 'neverthrow';
import { makeError, silentLogger, type Logger } from '@yantra/shared';
import { commitIndex, type CommitOptions, type CommitResult } from './committing.js';
import type { Identity, RepoContext } from './context.js';
import { diffCommits, diffStaged, diffUnstaged, diffWorkdirAgainst, type Diff, type DiffOptions } from './diff.js';
import { failWith, toGitError, type GitError } from './errors.js';
import { readLog, resolveRevision, showCommit, type LogEntry, type LogOptions, type ShowResult } from './history.js';
import { confinePaths } from './paths.js';
import {
  createBranch,
  createTag,
  deleteTag,
  fetchRemote,
  listBranches,
  listTags,
  pushRemote,
  switchBranch,
  type BranchInfo,
  type BranchList,
  type BranchListOptions,
  type RemoteOptions,
  type RemoteResult,
  type TagInfo,
} from './refs.js';
import { checkoutPaths, stagePaths, unstagePaths } from './staging.js';
import { headOid, readStatus, type RepoStatus } from './status.js';

export interface OpenRepositoryOptions {
  /** Commit identity; default: `user.name` / `user.email` from the repository's config. */
  readonly author?: Identity;
  /** Identity used only when the repository configures none (a CLI passes the user's global one). */
  readonly defaultAuthor?: Identity;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Time source for commit dates. Default: `() => new Date()`. */
  readonly clock?: () => Date;
}

/**
 * A git repository on the local disk, operated through isomorphic-git. Every path argument is
 * confined to the working tree (traversal, `.git` and symlinks pointing out are refused).
 */
export interface Repository {
  /** Real path of the working tree root. */
  readonly root: string;
  /** Staged, unstaged and untracked changes, optionally limited to paths. */
  status(paths?: readonly string[]): ResultAsync<RepoStatus, GitError>;
  /** Index → working tree (`git diff`). */
  diffUnstaged(options?: DiffOptions): ResultAsync<Diff, GitError>;
  /** HEAD → index (`git diff --cached`). */
  diffStaged(options?: DiffOptions): ResultAsync<Diff, GitError>;
  /** A revision → working tree (`git diff <target>`). */
  diffAgainst(target: string, options?: DiffOptions): ResultAsync<Diff, GitError>;
  /** Revision → revision (`git diff <from> <to>`). */
  diffRevisions(from: string, to: string, options?: DiffOptions): ResultAsync<Diff, GitError>;
  /** Stages files or directories (`git add`); returns the paths whose index entry changed. */
  add(paths: readonly string[]): ResultAsync<string[], GitError>;
  /** Unstages paths, or everything (`git reset`); returns the unstaged paths. */
  reset(paths?: readonly string[]): ResultAsync<string[], GitError>;
  /** Restores paths from a revision (default HEAD) into the working tree and the index. */
  checkoutFiles(paths: readonly string[], revision?: string): ResultAsync<string[], GitError>;
  /** Commits the index. */
  commit(message: string, options?: CommitOptions): ResultAsync<CommitResult, GitError>;
  log(options?: LogOptions): ResultAsync<LogEntry[], GitError>;
  show(revision: string, options?: DiffOptions): ResultAsync<ShowResult, GitError>;
  /** `HEAD`, names, short SHAs and `~N`/`^N` to a commit SHA. */
  resolveRevision(revision: string): ResultAsync<string, GitError>;
  /** The HEAD commit, or null before the first commit. */
  head(): ResultAsync<string | null, GitError>;
  branches(options?: BranchListOptions): ResultAsync<BranchList, GitError>;
  createBranch(name: string, base?: string): ResultAsync<BranchInfo, GitError>;
  switchBranch(name: string): ResultAsync<BranchInfo, GitError>;
  tags(): ResultAsync<TagInfo[], GitError>;
  createTag(name: string, options?: { revision?: string; message?: string }): ResultAsync<TagInfo, GitError>;
  deleteTag(name: string): ResultAsync<void, GitError>;
  /** Fetches a branch from an HTTP(S) remote. */
  fetch(options?: RemoteOptions): ResultAsync<RemoteResult, GitError>;
  /** Pushes a branch to an HTTP(S) remote. */
  push(options?: RemoteOptions): ResultAsync<RemoteResult, GitError>;
  /**
   * Internal context shared with the gate, undo and the MCP server.
   * @internal Not a stable API: it may change in any release.
   */
  readonly context: RepoContext;
}

/** Runs one operation and turns whatever it throws into a typed `GitError`. */
export function attempt<T>(work: () => Promise<T>): ResultAsync<T, GitError> {
  return ResultAsync.fromPromise(
    (async () => work())(),
    (cause) => toGitError(cause),
  );
}

async function locate(dir: string): Promise<string> {
  let real: string;
  try {
    real = await fs.promises.realpath(path.resolve(dir));
  } catch {
    return failWith(makeError('not_a_repository', `${dir} does not exist`, { path: dir }));
  }
  try {
    return await git.findRoot({ fs, filepath: real });
  } catch {
    return failWith(makeError('not_a_repository', `${dir} is not inside a git repository`, { path: dir }));
  }
}

function createRepository(ctx: RepoContext): Repository {
  return {
    root: ctx.dir,
    context: ctx,
    status: (paths) => attempt(async () => readStatus(ctx, paths ? await confinePaths(ctx.dir, paths) : undefined)),
    diffUnstaged: (options = {}) => attempt(async () => diffUnstaged(ctx, await confineOptions(ctx, options))),
    diffStaged: (options = {}) =>
      attempt(async () => diffStaged(ctx, await headOid(ctx), await confineOptions(ctx, options))),
    diffAgainst: (target, options = {}) =>
      attempt(async () => diffWorkdirAgainst(ctx, await resolveRevision(ctx, target), await confineOptions(ctx, options))),
    diffRevisions: (from, to, options = {}) =>
      attempt(async () =>
        diffCommits(ctx, await resolveRevision(ctx, from), await resolveRevision(ctx, to), await confineOptions(ctx, options)),
      ),
    add: (paths) => attempt(() => stagePaths(ctx, paths)),
    reset: (paths) => attempt(() => unstagePaths(ctx, paths)),
    checkoutFiles: (paths, revision = 'HEAD') =>
      attempt(async () => checkoutPaths(ctx, await resolveRevision(ctx, revision), paths)),
    commit: (message, options) => attempt(() => commitIndex(ctx, message, options)),
    log: (options) => attempt(() => readLog(ctx, options)),
    show: (revision, options = {}) => attempt(async () => showCommit(ctx, revision, await confineOptions(ctx, options))),
    resolveRevision: (revision) => attempt(() => resolveRevision(ctx, revision)),
    head: () => attempt(() => headOid(ctx)),
    branches: (options) => attempt(() => listBranches(ctx, options)),
    createBranch: (name, base) => attempt(() => createBranch(ctx, name, base)),
    switchBranch: (name) => attempt(() => switchBranch(ctx, name)),
    tags: () => attempt(() => listTags(ctx)),
    createTag: (name, options) => attempt(() => createTag(ctx, name, options)),
    deleteTag: (name) => attempt(() => deleteTag(ctx, name)),
    fetch: (options) => attempt(() => fetchRemote(ctx, options)),
    push: (options) => attempt(() => pushRemote(ctx, options)),
  };
}

async function confineOptions(ctx: RepoContext, options: DiffOptions): Promise<DiffOptions> {
  if (!options.paths || options.paths.length === 0) return options;
  return { ...options, paths: await confinePaths(ctx.dir, options.paths) };
}

/**
 * Opens the repository containing `dir` (the working tree root is found upwards).
 * Fails with `not_a_repository` when there is none.
 */
export function openRepository(dir: string, options: OpenRepositoryOptions = {}): ResultAsync<Repository, GitError> {
  return attempt(async () => {
    const root = await locate(dir);
    const ctx: RepoContext = {
      fs,
      dir: root,
      gitdir: path.join(root, '.git'),
      cache: {},
      logger: options.logger ?? silentLogger,
      author: options.author,
      defaultAuthor: options.defaultAuthor,
      clock: options.clock ?? (() => new Date()),
      memo: { trees: new Map(), hashes: new Map() },
    };
    return createRepository(ctx);
  });
}
