import { createHash } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { gitArgs, type RepoContext } from './context.js';
import { readGitIndex, type IndexEntry } from './git-index.js';
import type { StatusRow } from './status.js';
import { flattenCommit } from './trees.js';

/** Stands for "present but never compared" (untracked and not in HEAD): any non-oid value. */
const PRESENT = 'present';

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Oids are compared with their file kind, so an executable-bit change counts as a change. */
function modeClass(mode: number): string {
  if ((mode & 0o170000) === 0o120000) return ':l';
  return mode & 0o111 ? ':x' : '';
}

async function hashFile(full: string, isLink: boolean): Promise<string> {
  const content = isLink ? Buffer.from(await fsp.readlink(full)) : await fsp.readFile(full);
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * The working tree's blob oid for a path, undefined when absent. Files whose stat matches
 * the index entry (and that were not modified in the same second the index was written,
 * git's "racy" case) take the index oid; others are hashed once per distinct stat.
 */
async function workdirOid(ctx: RepoContext, rel: string, staged: IndexEntry | undefined, indexWritten: number, needOid: boolean): Promise<string | undefined> {
  const full = path.join(ctx.dir, rel);
  let stat;
  try {
    stat = await fsp.lstat(full);
  } catch {
    return undefined;
  }
  const isLink = stat.isSymbolicLink();
  if (!isLink && !stat.isFile()) return undefined;
  if (!needOid) return PRESENT;
  const kind = isLink ? ':l' : stat.mode & 0o111 ? ':x' : '';
  return `${await contentOid(ctx, rel, full, stat, isLink, staged, indexWritten)}${kind}`;
}

async function contentOid(
  ctx: RepoContext,
  rel: string,
  full: string,
  stat: Stats,
  isLink: boolean,
  staged: IndexEntry | undefined,
  indexWritten: number,
): Promise<string> {
  const mtimeSeconds = Math.floor(stat.mtimeMs / 1000);
  if (
    staged &&
    staged.size === stat.size % 2 ** 32 &&
    staged.mtimeSeconds === mtimeSeconds &&
    staged.ino === stat.ino % 2 ** 32 &&
    ((staged.mode & 0o170000) === 0o120000) === isLink &&
    mtimeSeconds < indexWritten
  ) {
    return staged.oid;
  }
  const key = `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
  const memo = ctx.memo.hashes.get(rel);
  if (memo && memo.key === key) return memo.oid;
  const oid = await hashFile(full, isLink);
  ctx.memo.hashes.set(rel, { key, oid });
  return oid;
}

async function resolveCommit(ctx: RepoContext, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ ...gitArgs(ctx), ref });
  } catch (e) {
    if (ref === 'HEAD') return null; // Before the first commit.
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    throw e;
  }
}

/**
 * isomorphic-git's status matrix (`[path, head, workdir, stage]`, same encoding), computed from
 * the index file, the flattened HEAD tree and one directory walk. Unlike isomorphic-git it
 * counts an executable-bit change as a change (as git does), and reports an unmerged path as
 * staged and unstaged. Throws `UnsupportedIndex` for index files it cannot read.
 */
export async function fastStatusRows(ctx: RepoContext, filepaths: readonly string[] | undefined, ref: string): Promise<StatusRow[]> {
  const index = await readGitIndex(ctx.gitdir);
  const head = await flattenCommit(ctx, await resolveCommit(ctx, ref));
  const filters = filepaths && filepaths.length > 0 && !filepaths.includes('.') ? filepaths : undefined;
  const inScope = (p: string) => !filters || filters.some((f) => p === f || p.startsWith(`${f}/`));
  const mayContain = (dir: string) => !filters || filters.some((f) => f === dir || f.startsWith(`${dir}/`) || dir.startsWith(`${f}/`));

  const trackedDirs = new Set<string>();
  const addDirs = (p: string) => {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const d = p.slice(0, i);
      if (trackedDirs.has(d)) break;
      trackedDirs.add(d);
    }
  };
  for (const p of index.entries.keys()) addDirs(p);
  for (const p of head.files.keys()) addDirs(p);

  const ignored = (p: string) => git.isIgnored({ ...gitArgs(ctx), filepath: p });
  const untracked = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    let dirents;
    try {
      dirents = await fsp.readdir(rel === '' ? ctx.dir : path.join(ctx.dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      dirents.map(async (d) => {
        const p = rel === '' ? d.name : `${rel}/${d.name}`;
        if (d.name === '.git') return;
        if (d.isDirectory()) {
          if (!mayContain(p)) return;
          // A directory without tracked files is skipped whole when ignored, as git does.
          if (!trackedDirs.has(p) && (await ignored(`${p}/`))) return;
          await walk(p);
        } else if ((d.isFile() || d.isSymbolicLink()) && inScope(p) && !index.entries.has(p) && !head.files.has(p)) {
          if (!(await ignored(p))) untracked.add(p);
        }
      }),
    );
  };
  await walk('');

  const paths = new Set<string>(untracked);
  for (const p of index.entries.keys()) if (inScope(p)) paths.add(p);
  for (const p of head.files.keys()) if (inScope(p)) paths.add(p);
  const sorted = [...paths].sort();
  const rows = await mapLimit(sorted, 32, async (p): Promise<StatusRow | undefined> => {
    const headEntry = head.files.get(p);
    const h = headEntry ? `${headEntry.oid}${modeClass(headEntry.mode)}` : undefined;
    const staged = index.entries.get(p);
    const s = index.conflicts.has(p) ? 'unmerged' : staged ? `${staged.oid}${modeClass(staged.mode)}` : undefined;
    const w = await workdirOid(ctx, p, staged, index.writtenSeconds, h !== undefined || s !== undefined);
    const row: StatusRow = [p, h ? 1 : 0, w === undefined ? 0 : w === h ? 1 : 2, !s ? 0 : s === h ? 1 : s === w ? 2 : 3];
    return row[1] === 0 && row[2] === 0 && row[3] === 0 ? undefined : row;
  });
  return rows.filter((r): r is StatusRow => r !== undefined);
}
