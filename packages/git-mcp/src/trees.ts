import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import git, { type TreeEntry } from 'isomorphic-git';
import { gitArgs, type RepoContext } from './context.js';
import type { IndexEntry } from './git-index.js';

/** Every blob of a commit's tree by path, and every directory's tree oid (`''` is the root). */
export interface FlatTree {
  readonly files: ReadonlyMap<string, { readonly oid: string; readonly mode: number }>;
  readonly dirs: ReadonlyMap<string, string>;
}

const EMPTY_FLAT: FlatTree = { files: new Map(), dirs: new Map() };

/**
 * Reads a loose tree object directly (inflate and parse), or undefined when the object is
 * packed. Going through isomorphic-git costs about a millisecond per tree, which adds up to
 * seconds when a large repository's whole tree is read.
 */
async function readLooseTree(ctx: RepoContext, oid: string): Promise<TreeEntry[] | undefined> {
  let raw: Buffer;
  try {
    raw = inflateSync(await fsp.readFile(path.join(ctx.gitdir, 'objects', oid.slice(0, 2), oid.slice(2))));
  } catch {
    return undefined;
  }
  const headerEnd = raw.indexOf(0);
  if (raw.toString('latin1', 0, 5) !== 'tree ') return undefined;
  const entries: TreeEntry[] = [];
  let at = headerEnd + 1;
  while (at < raw.length) {
    const space = raw.indexOf(0x20, at);
    const nul = raw.indexOf(0, space);
    const mode = raw.toString('latin1', at, space).padStart(6, '0');
    const name = raw.toString('utf8', space + 1, nul);
    const entryOid = raw.toString('hex', nul + 1, nul + 21);
    at = nul + 21;
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ mode, path: name, oid: entryOid, type });
  }
  return entries;
}

/** Flattens a commit's tree; memoized per root tree (trees are immutable). */
export async function flattenCommit(ctx: RepoContext, commit: string | null): Promise<FlatTree> {
  if (commit === null) return EMPTY_FLAT;
  const { commit: c } = await git.readCommit({ ...gitArgs(ctx), oid: commit });
  const hit = ctx.memo.trees.get(c.tree);
  if (hit) return hit;
  const files = new Map<string, { oid: string; mode: number }>();
  const dirs = new Map<string, string>([['', c.tree]]);
  const visit = async (oid: string, prefix: string): Promise<void> => {
    const tree = (await readLooseTree(ctx, oid)) ?? (await git.readTree({ ...gitArgs(ctx), oid })).tree;
    const subtrees: Array<Promise<void>> = [];
    for (const entry of tree) {
      const full = prefix === '' ? entry.path : `${prefix}/${entry.path}`;
      if (entry.type === 'tree') {
        dirs.set(full, entry.oid);
        subtrees.push(visit(entry.oid, full));
      } else if (entry.type === 'blob') {
        files.set(full, { oid: entry.oid, mode: parseInt(entry.mode, 8) });
      }
    }
    await Promise.all(subtrees);
  };
  await visit(c.tree, '');
  const flat = { files, dirs };
  // Keep a few roots only: each flat tree holds one entry per file.
  if (ctx.memo.trees.size >= 4) ctx.memo.trees.clear();
  ctx.memo.trees.set(c.tree, flat);
  return flat;
}

function parentDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function modeString(mode: number): string {
  return mode.toString(8).padStart(6, '0');
}

/** Git orders tree entries by name, comparing a subtree's name as if it ended in `/`. */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = a.type === 'tree' ? `${a.path}/` : a.path;
  const kb = b.type === 'tree' ? `${b.path}/` : b.path;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Writes the tree of the index, rewriting only the directories on the path of a change
 * against `base` (HEAD). isomorphic-git's commit rebuilds every tree of the index, which
 * dominates commit time in a large repository.
 */
export async function writeIndexTree(ctx: RepoContext, index: ReadonlyMap<string, IndexEntry>, base: FlatTree): Promise<string> {
  const dirty = new Set<string>(['']);
  const mark = (p: string) => {
    for (let d = parentDir(p); !dirty.has(d); d = parentDir(d)) dirty.add(d);
  };
  for (const [p, e] of index) {
    const old = base.files.get(p);
    if (!old || old.oid !== e.oid || old.mode !== e.mode) mark(p);
  }
  for (const p of base.files.keys()) if (!index.has(p)) mark(p);

  // Direct children of each dirty directory, from the index.
  const children = new Map<string, { files: IndexEntry[]; dirs: Set<string> }>();
  for (const d of dirty) children.set(d, { files: [], dirs: new Set() });
  for (const [p, e] of index) {
    const parts = p.split('/');
    children.get(parts.slice(0, -1).join('/'))?.files.push(e);
    for (let i = parts.length - 2; i >= 0; i--) {
      children.get(parts.slice(0, i).join('/'))?.dirs.add(parts[i] as string);
    }
  }

  const build = async (dir: string): Promise<string | null> => {
    if (!dirty.has(dir)) return base.dirs.get(dir) ?? null;
    const bucket = children.get(dir) ?? { files: [], dirs: new Set<string>() };
    const entries: TreeEntry[] = bucket.files.map((e) => ({
      mode: modeString(e.mode),
      path: dir === '' ? e.path : e.path.slice(dir.length + 1),
      oid: e.oid,
      type: e.mode === 0o160000 ? 'commit' : 'blob',
    }));
    for (const name of bucket.dirs) {
      const oid = await build(dir === '' ? name : `${dir}/${name}`);
      if (oid !== null) entries.push({ mode: '040000', path: name, oid, type: 'tree' });
    }
    if (entries.length === 0 && dir !== '') return null;
    entries.sort(treeOrder);
    return git.writeTree({ ...gitArgs(ctx), tree: entries });
  };
  return (await build('')) as string;
}
