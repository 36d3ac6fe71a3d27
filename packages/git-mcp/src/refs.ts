import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { makeError } from '@yantra/shared';
import { gitArgs, type RepoContext } from './context.js';
import { failWith } from './errors.js';
import { resolveAuthor } from './committing.js';
import { resolveRevision } from './history.js';

export interface BranchInfo {
  readonly name: string;
  readonly sha: string;
  /** Remote name for remote-tracking branches (`origin/main` has remote `origin`). */
  readonly remote?: string;
  readonly current: boolean;
}

export interface BranchListOptions {
  /** Which branches. Default `local`. */
  readonly scope?: 'local' | 'remote' | 'all';
  /** Only branches whose tip contains this commit. */
  readonly contains?: string;
  /** Only branches whose tip does not contain this commit. */
  readonly notContains?: string;
}

export interface BranchList {
  readonly current: string | null;
  readonly branches: readonly BranchInfo[];
}

export interface TagInfo {
  readonly name: string;
  /** The commit the tag points at (annotated tags are peeled). */
  readonly sha: string;
}

export interface RemoteOptions {
  /** Remote name. Default `origin`. */
  readonly remote?: string;
  /** Branch to push or fetch. Default: the current branch. */
  readonly ref?: string;
  /** Credentials for HTTP remotes (never logged). */
  readonly auth?: { readonly username: string; readonly password: string };
}

export interface RemoteResult {
  readonly remote: string;
  readonly ref: string;
  readonly sha: string | null;
}

async function contains(ctx: RepoContext, tip: string, commit: string): Promise<boolean> {
  if (tip === commit) return true;
  return git.isDescendent({ ...gitArgs(ctx), oid: tip, ancestor: commit, depth: -1 });
}

export async function listBranches(ctx: RepoContext, options: BranchListOptions = {}): Promise<BranchList> {
  const current = (await git.currentBranch({ ...gitArgs(ctx) })) ?? null;
  const scope = options.scope ?? 'local';
  const found: BranchInfo[] = [];
  if (scope !== 'remote') {
    for (const name of await git.listBranches({ ...gitArgs(ctx) })) {
      found.push({ name, sha: await git.resolveRef({ ...gitArgs(ctx), ref: `refs/heads/${name}` }), current: name === current });
    }
  }
  if (scope !== 'local') {
    for (const { remote } of await git.listRemotes({ ...gitArgs(ctx) })) {
      for (const name of await git.listBranches({ ...gitArgs(ctx), remote })) {
        if (name === 'HEAD') continue;
        const sha = await git.resolveRef({ ...gitArgs(ctx), ref: `refs/remotes/${remote}/${name}` });
        found.push({ name: `${remote}/${name}`, sha, remote, current: false });
      }
    }
  }
  const want = options.contains === undefined ? undefined : await resolveRevision(ctx, options.contains);
  const avoid = options.notContains === undefined ? undefined : await resolveRevision(ctx, options.notContains);
  const branches: BranchInfo[] = [];
  for (const b of found) {
    if (want !== undefined && !(await contains(ctx, b.sha, want))) continue;
    if (avoid !== undefined && (await contains(ctx, b.sha, avoid))) continue;
    branches.push(b);
  }
  return { current, branches };
}

export async function createBranch(ctx: RepoContext, name: string, base?: string): Promise<BranchInfo> {
  const sha = await resolveRevision(ctx, base ?? 'HEAD');
  await git.branch({ ...gitArgs(ctx), ref: name, object: sha, checkout: false });
  return { name, sha, current: false };
}

/** Switches to a branch; refuses (conflict) when that would overwrite uncommitted changes. */
export async function switchBranch(ctx: RepoContext, name: string): Promise<BranchInfo> {
  const branches = await git.listBranches({ ...gitArgs(ctx) });
  if (!branches.includes(name)) failWith(makeError('not_found', `no branch named ${name}`, { target: name }));
  await git.checkout({ ...gitArgs(ctx), ref: name });
  const sha = await git.resolveRef({ ...gitArgs(ctx), ref: `refs/heads/${name}` });
  return { name, sha, current: true };
}

export async function listTags(ctx: RepoContext): Promise<TagInfo[]> {
  const tags: TagInfo[] = [];
  for (const name of await git.listTags({ ...gitArgs(ctx) })) {
    tags.push({ name, sha: await resolveRevision(ctx, `refs/tags/${name}`) });
  }
  return tags;
}

/** Creates a lightweight tag, or an annotated one when a message is given. */
export async function createTag(ctx: RepoContext, name: string, options: { revision?: string; message?: string } = {}): Promise<TagInfo> {
  const sha = await resolveRevision(ctx, options.revision ?? 'HEAD');
  if (options.message === undefined) {
    await git.tag({ ...gitArgs(ctx), ref: name, object: sha });
  } else {
    const who = await resolveAuthor(ctx);
    const tagger = { ...who, timestamp: Math.floor(ctx.clock().getTime() / 1000), timezoneOffset: 0 };
    await git.annotatedTag({ ...gitArgs(ctx), ref: name, object: sha, message: options.message, tagger });
  }
  return { name, sha };
}

export async function deleteTag(ctx: RepoContext, name: string): Promise<void> {
  await git.deleteTag({ ...gitArgs(ctx), ref: name });
}

async function remoteUrl(ctx: RepoContext, remote: string): Promise<string> {
  const url = (await git.getConfig({ ...gitArgs(ctx), path: `remote.${remote}.url` })) as unknown;
  if (typeof url !== 'string') return failWith(makeError('not_found', `no remote named ${remote}`, { target: remote }));
  // isomorphic-git speaks only the smart HTTP protocol: a path or ssh remote cannot work.
  if (!/^https?:\/\//i.test(url)) {
    return failWith(makeError('unsupported', `remote ${remote} (${url}) is not an http(s) URL; only HTTP remotes are supported`));
  }
  return url;
}

async function branchToUse(ctx: RepoContext, ref: string | undefined): Promise<string> {
  if (ref !== undefined) return ref;
  const current = await git.currentBranch({ ...gitArgs(ctx) });
  if (!current) return failWith(makeError('invalid_argument', 'HEAD is detached; name the branch to push or fetch'));
  return current;
}

export async function fetchRemote(ctx: RepoContext, options: RemoteOptions = {}): Promise<RemoteResult> {
  const remote = options.remote ?? 'origin';
  const url = await remoteUrl(ctx, remote);
  const ref = await branchToUse(ctx, options.ref);
  const auth = options.auth;
  const result = await git.fetch({
    ...gitArgs(ctx),
    http,
    url,
    remote,
    ref,
    singleBranch: true,
    tags: false,
    ...(auth ? { onAuth: () => ({ username: auth.username, password: auth.password }) } : {}),
  });
  return { remote, ref, sha: result.fetchHead ?? null };
}

export async function pushRemote(ctx: RepoContext, options: RemoteOptions = {}): Promise<RemoteResult> {
  const remote = options.remote ?? 'origin';
  const url = await remoteUrl(ctx, remote);
  const ref = await branchToUse(ctx, options.ref);
  const auth = options.auth;
  const result = await git.push({
    ...gitArgs(ctx),
    http,
    url,
    remote,
    ref,
    ...(auth ? { onAuth: () => ({ username: auth.username, password: auth.password }) } : {}),
  });
  if (!result.ok) {
    return failWith(makeError('remote_failed', `push rejected: ${result.error ?? 'unknown reason'}`, { retryable: false }));
  }
  const sha = await git.resolveRef({ ...gitArgs(ctx), ref: `refs/heads/${ref}` });
  return { remote, ref, sha };
}
