import git, { type CommitObject } from 'isomorphic-git';
import { makeError } from '@yantra/shared';
import { gitArgs, type RepoContext } from './context.js';
import { diffCommits, type Diff, type DiffOptions } from './diff.js';
import { failWith } from './errors.js';

/** One commit as `git log` shows it. */
export interface LogEntry {
  readonly sha: string;
  readonly subject: string;
  /** The full message, subject included. */
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Author date, ISO 8601 (UTC). */
  readonly date: string;
  readonly parents: readonly string[];
}

export interface LogOptions {
  /** Most commits returned. Default 10. */
  readonly maxCount?: number;
  /** Where to start. Default `HEAD`. */
  readonly revision?: string;
  /** Only commits at or after this time. */
  readonly since?: Date;
  /** Only commits at or before this time. */
  readonly until?: Date;
}

/** A commit with its change against its first parent. */
export interface ShowResult {
  readonly commit: LogEntry;
  readonly diff: Diff;
}

const REVISION = /^([^~^]+)((?:[~^]\d*)*)$/;

async function peel(ctx: RepoContext, oid: string): Promise<string> {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const obj = await git.readObject({ ...gitArgs(ctx), oid: current });
    if (obj.type !== 'tag') return current;
    const tag = await git.readTag({ ...gitArgs(ctx), oid: current });
    current = tag.tag.object;
  }
  return current;
}

async function resolveBase(ctx: RepoContext, base: string): Promise<string> {
  try {
    return await git.resolveRef({ ...gitArgs(ctx), ref: base });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(base)) {
      try {
        return await git.expandOid({ ...gitArgs(ctx), oid: base.toLowerCase() });
      } catch {
        // Falls through to the typed error below.
      }
    }
  }
  return failWith(makeError('invalid_revision', `unknown revision: ${base}`, { revision: base }));
}

/**
 * Resolves `HEAD`, branch and tag names, (short) SHAs, and `~N` / `^N` suffixes to a commit
 * SHA; isomorphic-git resolves only plain refs.
 */
export async function resolveRevision(ctx: RepoContext, revision: string): Promise<string> {
  const match = REVISION.exec(revision.trim());
  if (!match || revision.includes('..') || revision.startsWith('-')) {
    return failWith(makeError('invalid_revision', `not a revision: ${revision}`, { revision }));
  }
  let oid = await peel(ctx, await resolveBase(ctx, match[1] as string));
  for (const step of (match[2] ?? '').match(/[~^]\d*/g) ?? []) {
    const n = step.length > 1 ? Number(step.slice(1)) : 1;
    if (step.startsWith('~')) {
      for (let i = 0; i < n; i++) oid = await parentOf(ctx, oid, 0, revision);
    } else if (n > 0) {
      oid = await parentOf(ctx, oid, n - 1, revision);
    }
  }
  return oid;
}

async function parentOf(ctx: RepoContext, oid: string, index: number, revision: string): Promise<string> {
  const { commit } = await git.readCommit({ ...gitArgs(ctx), oid });
  const parent = commit.parent[index];
  if (parent === undefined) failWith(makeError('invalid_revision', `${revision}: no such parent`, { revision }));
  return parent;
}

export function toLogEntry(oid: string, commit: CommitObject): LogEntry {
  const subject = commit.message.split('\n', 1)[0] ?? '';
  return {
    sha: oid,
    subject,
    message: commit.message,
    author: { name: commit.author.name, email: commit.author.email },
    date: new Date(commit.author.timestamp * 1000).toISOString(),
    parents: commit.parent,
  };
}

export async function readLog(ctx: RepoContext, options: LogOptions = {}): Promise<LogEntry[]> {
  const start = await resolveRevision(ctx, options.revision ?? 'HEAD');
  const maxCount = options.maxCount ?? 10;
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    failWith(makeError('invalid_argument', `max count must be a positive integer, got ${maxCount}`));
  }
  // Time filters need to look past max_count commits; bound the walk instead of reading all history.
  const filtered = options.since !== undefined || options.until !== undefined;
  const commits = await git.log({
    ...gitArgs(ctx),
    ref: start,
    depth: filtered ? Math.max(maxCount * 20, 1000) : maxCount,
    ...(options.since ? { since: options.since } : {}),
  });
  const untilSeconds = options.until ? options.until.getTime() / 1000 : Infinity;
  return commits
    .filter((c) => c.commit.author.timestamp <= untilSeconds)
    .slice(0, maxCount)
    .map((c) => toLogEntry(c.oid, c.commit));
}

export async function showCommit(ctx: RepoContext, revision: string, options: DiffOptions = {}): Promise<ShowResult> {
  const oid = await resolveRevision(ctx, revision);
  const { commit } = await git.readCommit({ ...gitArgs(ctx), oid });
  const diff = await diffCommits(ctx, commit.parent[0] ?? null, oid, options);
  return { commit: toLogEntry(oid, commit), diff };
}
