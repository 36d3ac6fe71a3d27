import git from 'isomorphic-git';
import { gitArgs, type RepoContext } from './context.js';
import { UnsupportedIndex } from './git-index.js';
import { fastStatusRows } from './worktree.js';

export type ChangeKind = 'added' | 'modified' | 'deleted';

/** One changed path on one side (index or working tree). */
export interface StatusEntry {
  readonly path: string;
  readonly kind: ChangeKind;
}

/** The status matrix split the way `git status` presents it. */
export interface RepoStatus {
  /** Current branch, or null when HEAD is detached. */
  readonly branch: string | null;
  /** HEAD commit, or null before the first commit. */
  readonly head: string | null;
  /** HEAD → index. */
  readonly staged: readonly StatusEntry[];
  /** Index → working tree (tracked files only). */
  readonly unstaged: readonly StatusEntry[];
  /** Not in the index and not ignored. */
  readonly untracked: readonly string[];
  readonly clean: boolean;
}

export type StatusRow = [string, 0 | 1, 0 | 1 | 2, 0 | 1 | 2 | 3];

/** HEAD → index change of a status row (see isomorphic-git's statusMatrix table). */
export function stagedKind([, head, , stage]: StatusRow): ChangeKind | undefined {
  if (head === 0) return stage === 0 ? undefined : 'added';
  if (stage === 0) return 'deleted';
  return stage === 1 ? undefined : 'modified';
}

/** Index → working tree change of a status row; untracked paths are reported separately. */
export function unstagedKind([, , workdir, stage]: StatusRow): ChangeKind | undefined {
  if (stage === 0) return undefined;
  if (workdir === 0) return 'deleted';
  if (stage === 2) return undefined;
  if (stage === 1) return workdir === 2 ? 'modified' : undefined;
  return 'modified';
}

export function isUntracked([, , workdir, stage]: StatusRow): boolean {
  return stage === 0 && workdir !== 0;
}

/** The status matrix rows; the fast reader first, isomorphic-git's statusMatrix when it cannot. */
export async function statusRows(ctx: RepoContext, filepaths?: readonly string[], ref = 'HEAD'): Promise<StatusRow[]> {
  try {
    return await fastStatusRows(ctx, filepaths, ref);
  } catch (e) {
    if (!(e instanceof UnsupportedIndex)) throw e;
    ctx.logger.debug('status: falling back to isomorphic-git statusMatrix', { reason: e.message });
    return isoStatusRows(ctx, filepaths, ref);
  }
}

/** isomorphic-git's own status matrix (slower on large trees; also the reference in tests). */
export async function isoStatusRows(ctx: RepoContext, filepaths?: readonly string[], ref = 'HEAD'): Promise<StatusRow[]> {
  const rows = await git.statusMatrix({
    ...gitArgs(ctx),
    ref,
    ...(filepaths && filepaths.length > 0 ? { filepaths: [...filepaths] } : {}),
  });
  return rows as StatusRow[];
}

export async function headOid(ctx: RepoContext): Promise<string | null> {
  try {
    return await git.resolveRef({ ...gitArgs(ctx), ref: 'HEAD' });
  } catch {
    return null; // No commit yet.
  }
}

export async function readStatus(ctx: RepoContext, filepaths?: readonly string[]): Promise<RepoStatus> {
  const head = await headOid(ctx);
  const branch = (await git.currentBranch({ ...gitArgs(ctx), fullname: false })) ?? null;
  // statusMatrix also answers before the first commit (every HEAD column is 0).
  const rows = await statusRows(ctx, filepaths);
  const staged: StatusEntry[] = [];
  const unstaged: StatusEntry[] = [];
  const untracked: string[] = [];
  for (const row of rows) {
    const s = stagedKind(row);
    if (s) staged.push({ path: row[0], kind: s });
    const u = unstagedKind(row);
    if (u) unstaged.push({ path: row[0], kind: u });
    if (isUntracked(row)) untracked.push(row[0]);
  }
  return { branch, head, staged, unstaged, untracked, clean: staged.length + unstaged.length + untracked.length === 0 };
}
