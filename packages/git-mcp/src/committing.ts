import git from 'isomorphic-git';
import { makeError } from '@yantra/shared';
import { gitArgs, type Identity, type RepoContext } from './context.js';
import { failWith } from './errors.js';
import { readGitIndex, UnsupportedIndex } from './git-index.js';
import { headOid, readStatus } from './status.js';
import { flattenCommit, writeIndexTree } from './trees.js';

export interface CommitOptions {
  /** Overrides the repository's author for this commit. */
  readonly author?: Identity;
  /** Commit even when nothing is staged. Default false. */
  readonly allowEmpty?: boolean;
}

export interface CommitResult {
  readonly sha: string;
  readonly message: string;
}

/** The author: explicit, then the configured one, then the repo's `user.*` config, then the default. */
export async function resolveAuthor(ctx: RepoContext, explicit?: Identity): Promise<Identity> {
  if (explicit) return explicit;
  if (ctx.author) return ctx.author;
  const name = (await git.getConfig({ ...gitArgs(ctx), path: 'user.name' })) as unknown;
  const email = (await git.getConfig({ ...gitArgs(ctx), path: 'user.email' })) as unknown;
  if (typeof name === 'string' && name.length > 0 && typeof email === 'string' && email.length > 0) return { name, email };
  if (ctx.defaultAuthor) return ctx.defaultAuthor;
  return failWith(
    makeError('author_unknown', 'no commit author: set user.name and user.email in the repository config, or pass an author'),
  );
}

/** The index's tree, written incrementally against HEAD; undefined lets isomorphic-git build it. */
async function indexTree(ctx: RepoContext): Promise<string | undefined> {
  let index;
  try {
    index = await readGitIndex(ctx.gitdir);
  } catch (e) {
    if (e instanceof UnsupportedIndex) return undefined;
    throw e;
  }
  if (index.conflicts.size > 0) {
    failWith(makeError('conflict', `unmerged paths: ${[...index.conflicts].join(', ')}`, { paths: [...index.conflicts] }));
  }
  return writeIndexTree(ctx, index.entries, await flattenCommit(ctx, await headOid(ctx)));
}

function normalizeMessage(message: string): string {
  return `${message.replace(/\r\n/g, '\n').trim()}\n`;
}

/** Commits the index; refuses an empty message and (unless allowed) an empty change. */
export async function commitIndex(ctx: RepoContext, message: string, options: CommitOptions = {}): Promise<CommitResult> {
  if (message.trim().length === 0) {
    failWith(makeError('invalid_message', 'empty commit message', { problems: ['the message is empty'] }));
  }
  if (!options.allowEmpty) {
    const status = await readStatus(ctx);
    if (status.staged.length === 0) failWith(makeError('nothing_to_commit', 'nothing staged to commit'));
  }
  const who = await resolveAuthor(ctx, options.author);
  const when = ctx.clock();
  const identity = { ...who, timestamp: Math.floor(when.getTime() / 1000), timezoneOffset: 0 };
  const text = normalizeMessage(message);
  const tree = await indexTree(ctx);
  const sha = await git.commit({ ...gitArgs(ctx), message: text, author: identity, committer: identity, ...(tree ? { tree } : {}) });
  return { sha, message: text };
}
