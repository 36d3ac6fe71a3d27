import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Directories that hold tooling, caches or third-party code, never the project's own source. */
const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '__pycache__',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.yantra', 'dist', 'build', 'site-packages', '.eggs',
]);
const MAX_BYTES = 1024 * 1024;

export interface WalkedFile {
  /** Relative to the root, forward slashes. */
  readonly rel: string;
  readonly abs: string;
}

/**
 * Lists the regular files under `root` (or under the given sub-paths), skipping tool and cache
 * directories, symlinks and files over 1 MiB.
 */
export async function walkFiles(root: string, paths?: readonly string[]): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  const visit = async (abs: string): Promise<void> => {
    const st = await fs.lstat(abs).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if (abs !== root && SKIP_DIRS.has(path.basename(abs))) return;
      const names = (await fs.readdir(abs)).sort();
      for (const n of names) await visit(path.join(abs, n));
      return;
    }
    if (st.isFile() && st.size <= MAX_BYTES) out.push({ abs, rel: path.relative(root, abs).split(path.sep).join('/') });
  };
  const starts = paths && paths.length > 0 ? paths.map((p) => path.resolve(root, p)) : [root];
  for (const s of starts) await visit(s);
  const seen = new Set<string>();
  return out.filter((f) => (seen.has(f.abs) ? false : (seen.add(f.abs), true)));
}

/** Reads a file as UTF-8 text, or undefined for binary content. */
export async function readText(abs: string): Promise<string | undefined> {
  const buf = await fs.readFile(abs);
  if (buf.subarray(0, 8000).includes(0)) return undefined;
  return buf.toString('utf8');
}
