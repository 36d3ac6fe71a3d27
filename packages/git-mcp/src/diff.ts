import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { structuredPatch } from 'diff';
import git, { type WalkerEntry } from 'isomorphic-git';
import { gitArgs, type RepoContext } from './context.js';
import { readGitIndex, UnsupportedIndex } from './git-index.js';
import { stagedKind, statusRows, unstagedKind, type ChangeKind } from './status.js';

/** The change of one file, with its unified patch. */
export interface FileDiff {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly binary: boolean;
  readonly additions: number;
  readonly deletions: number;
  /** `diff --git` style unified patch of this file. */
  readonly patch: string;
}

/** A whole diff: per-file parts and the concatenated patch. */
export interface Diff {
  readonly files: readonly FileDiff[];
  readonly patch: string;
}

export interface DiffOptions {
  /** Limit to these repo-relative paths (files or directories). */
  readonly paths?: readonly string[];
  /** Lines of context around each hunk. Default 3. */
  readonly contextLines?: number;
}

/** Content of one side; `null` when the file does not exist on that side. */
export interface Side {
  readonly content: Uint8Array | null;
  readonly mode: number;
}

/** Files larger than this get a header but no line diff. */
export const MAX_DIFF_BYTES = 4 * 1024 * 1024;

export const MISSING: Side = { content: null, mode: 0 };
const decoder = new TextDecoder();

function isBinary(bytes: Uint8Array | null): boolean {
  if (!bytes) return false;
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function modeString(mode: number): string {
  return mode.toString(8).padStart(6, '0');
}

/** Formats one file's change as git does (`diff --git`, mode lines, hunks). */
export function formatFileDiff(file: string, before: Side, after: Side, contextLines = 3): FileDiff {
  const kind: ChangeKind = before.content === null ? 'added' : after.content === null ? 'deleted' : 'modified';
  const header = [`diff --git a/${file} b/${file}`];
  if (kind === 'added') header.push(`new file mode ${modeString(after.mode || 0o100644)}`);
  else if (kind === 'deleted') header.push(`deleted file mode ${modeString(before.mode || 0o100644)}`);
  else if (before.mode !== after.mode && before.mode !== 0 && after.mode !== 0) {
    header.push(`old mode ${modeString(before.mode)}`, `new mode ${modeString(after.mode)}`);
  }
  const oldName = kind === 'added' ? '/dev/null' : `a/${file}`;
  const newName = kind === 'deleted' ? '/dev/null' : `b/${file}`;
  const largest = Math.max(before.content?.length ?? 0, after.content?.length ?? 0);
  if (largest > MAX_DIFF_BYTES) {
    // Line diffs of multi-megabyte files cost seconds and help no reader or model.
    header.push(`Large file (${largest} bytes): content diff omitted`);
    return { path: file, kind, binary: false, additions: 0, deletions: 0, patch: `${header.join('\n')}\n` };
  }
  if (isBinary(before.content) || isBinary(after.content)) {
    header.push(`Binary files ${oldName} and ${newName} differ`);
    return { path: file, kind, binary: true, additions: 0, deletions: 0, patch: `${header.join('\n')}\n` };
  }
  const oldText = before.content ? decoder.decode(before.content) : '';
  const newText = after.content ? decoder.decode(after.content) : '';
  const structured = structuredPatch(oldName, newName, oldText, newText, undefined, undefined, { context: contextLines });
  let additions = 0;
  let deletions = 0;
  const body: string[] = [];
  for (const hunk of structured.hunks) {
    // git numbers an empty range by the line before it (`-0,0`); jsdiff gives the line after.
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    const oldRange = hunk.oldLines === 1 ? `${oldStart}` : `${oldStart},${hunk.oldLines}`;
    const newRange = hunk.newLines === 1 ? `${newStart}` : `${newStart},${hunk.newLines}`;
    body.push(`@@ -${oldRange} +${newRange} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
      body.push(line);
    }
  }
  const lines = body.length > 0 ? [...header, `--- ${oldName}`, `+++ ${newName}`, ...body] : header;
  return { path: file, kind, binary: false, additions, deletions, patch: `${lines.join('\n')}\n` };
}

export function joinDiffs(files: FileDiff[]): Diff {
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, patch: files.map((f) => f.patch).join('') };
}

export async function readWorkdirSide(ctx: RepoContext, file: string): Promise<Side> {
  const full = path.join(ctx.dir, file);
  try {
    const stat = await fsp.lstat(full);
    if (stat.isSymbolicLink()) return { content: new TextEncoder().encode(await fsp.readlink(full)), mode: 0o120000 };
    if (!stat.isFile()) return MISSING;
    const content = new Uint8Array(await fsp.readFile(full));
    return { content, mode: stat.mode & 0o111 ? 0o100755 : 0o100644 };
  } catch {
    return MISSING;
  }
}

/** A file as stored in a commit, or MISSING. */
export async function readCommitSide(ctx: RepoContext, commit: string | null, file: string): Promise<Side> {
  if (commit === null) return MISSING;
  const dir = path.posix.dirname(file);
  try {
    const { tree } = await git.readTree({ ...gitArgs(ctx), oid: commit, ...(dir === '.' ? {} : { filepath: dir }) });
    const entry = tree.find((e) => e.path === path.posix.basename(file));
    if (!entry || entry.type !== 'blob') return MISSING;
    const { blob } = await git.readBlob({ ...gitArgs(ctx), oid: entry.oid });
    return { content: blob, mode: parseInt(entry.mode, 8) };
  } catch {
    return MISSING;
  }
}

/** Index entries (oid, mode) for the given files, walking only the directories that lead to them. */
export async function readIndexEntries(
  ctx: RepoContext,
  files: readonly string[],
): Promise<Map<string, { oid: string; mode: number }>> {
  const wanted = new Set(files);
  const dirs = new Set<string>();
  for (const f of files) {
    let d = path.posix.dirname(f);
    while (d !== '.' && !dirs.has(d)) {
      dirs.add(d);
      d = path.posix.dirname(d);
    }
  }
  const found = new Map<string, { oid: string; mode: number }>();
  if (wanted.size === 0) return found;
  try {
    const index = await readGitIndex(ctx.gitdir);
    for (const f of files) {
      const e = index.entries.get(f);
      if (e) found.set(f, { oid: e.oid, mode: e.mode });
    }
    return found;
  } catch (e) {
    if (!(e instanceof UnsupportedIndex)) throw e;
  }
  await git.walk({
    ...gitArgs(ctx),
    trees: [git.STAGE()],
    map: async (filepath: string, [entry]: Array<WalkerEntry | null>) => {
      if (filepath === '.') return true;
      if (wanted.has(filepath) && entry) {
        found.set(filepath, { oid: await entry.oid(), mode: await entry.mode() });
        return null;
      }
      // Returning null prunes the subtree: only directories leading to a wanted file are entered.
      return dirs.has(filepath) ? true : null;
    },
  });
  return found;
}

async function readIndexSides(ctx: RepoContext, files: readonly string[]): Promise<Map<string, Side>> {
  const entries = await readIndexEntries(ctx, files);
  const out = new Map<string, Side>();
  for (const file of files) {
    const entry = entries.get(file);
    if (!entry) {
      out.set(file, MISSING);
      continue;
    }
    const { blob } = await git.readBlob({ ...gitArgs(ctx), oid: entry.oid });
    out.set(file, { content: blob, mode: entry.mode });
  }
  return out;
}

/** Index → working tree, like `git diff`. */
export async function diffUnstaged(ctx: RepoContext, options: DiffOptions = {}): Promise<Diff> {
  const rows = await statusRows(ctx, options.paths);
  const files = rows.filter((r) => unstagedKind(r) !== undefined).map((r) => r[0]);
  const index = await readIndexSides(ctx, files);
  const out: FileDiff[] = [];
  for (const file of files) {
    out.push(formatFileDiff(file, index.get(file) ?? MISSING, await readWorkdirSide(ctx, file), options.contextLines));
  }
  return joinDiffs(out);
}

/** HEAD → index, like `git diff --cached`. */
export async function diffStaged(ctx: RepoContext, head: string | null, options: DiffOptions = {}): Promise<Diff> {
  const rows = await statusRows(ctx, options.paths);
  const files = rows.filter((r) => stagedKind(r) !== undefined).map((r) => r[0]);
  const index = await readIndexSides(ctx, files);
  const out: FileDiff[] = [];
  for (const file of files) {
    out.push(formatFileDiff(file, await readCommitSide(ctx, head, file), index.get(file) ?? MISSING, options.contextLines));
  }
  return joinDiffs(out);
}

/** A commit → the working tree (tracked files), like `git diff <commit>`. */
export async function diffWorkdirAgainst(ctx: RepoContext, commit: string, options: DiffOptions = {}): Promise<Diff> {
  const rows = await statusRows(ctx, options.paths, commit);
  const out: FileDiff[] = [];
  for (const [file, head, workdir, stage] of rows) {
    const tracked = head === 1 || stage !== 0;
    if (!tracked || (head === 1 && workdir === 1) || (head === 0 && workdir === 0)) continue;
    out.push(
      formatFileDiff(file, await readCommitSide(ctx, commit, file), await readWorkdirSide(ctx, file), options.contextLines),
    );
  }
  return joinDiffs(out);
}

/** Commit → commit; `from` null means the empty tree (a root commit's change). */
export async function diffCommits(ctx: RepoContext, from: string | null, to: string, options: DiffOptions = {}): Promise<Diff> {
  const changed: Array<{ file: string; before: Side; after: Side }> = [];
  const limit = options.paths && options.paths.length > 0 && !options.paths.includes('.') ? options.paths : undefined;
  const trees = from === null ? [git.TREE({ ref: to })] : [git.TREE({ ref: from }), git.TREE({ ref: to })];
  await git.walk({
    ...gitArgs(ctx),
    trees,
    map: async (filepath: string, entries: Array<WalkerEntry | null>) => {
      if (filepath === '.') return true;
      if (limit && !limit.some((p) => filepath === p || filepath.startsWith(`${p}/`) || p.startsWith(`${filepath}/`))) {
        return null;
      }
      const a = from === null ? null : (entries[0] ?? null);
      const b = from === null ? (entries[0] ?? null) : (entries[1] ?? null);
      const ta = a ? await a.type() : undefined;
      const tb = b ? await b.type() : undefined;
      const oa = a ? await a.oid() : undefined;
      const ob = b ? await b.oid() : undefined;
      if (oa !== undefined && oa === ob) return null; // Identical subtree or blob: prune.
      if (ta === 'commit' || tb === 'commit') return null; // Submodules are out of scope.
      if (ta === 'tree' || tb === 'tree') {
        // A blob replaced by a tree (or back) is a deletion plus the files of the tree.
        if (ta === 'blob' && a) changed.push({ file: filepath, before: await sideOf(a), after: MISSING });
        if (tb === 'blob' && b) changed.push({ file: filepath, before: MISSING, after: await sideOf(b) });
        return true;
      }
      changed.push({ file: filepath, before: a ? await sideOf(a) : MISSING, after: b ? await sideOf(b) : MISSING });
      return null;
    },
  });
  return joinDiffs(changed.map((c) => formatFileDiff(c.file, c.before, c.after, options.contextLines)));
}

async function sideOf(entry: WalkerEntry): Promise<Side> {
  const content = await entry.content();
  return { content: content ?? new Uint8Array(), mode: await entry.mode() };
}
