import { createHash } from 'node:crypto';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';

const SKIP = new Set(['.git', '.venv', 'venv', 'node_modules', '.yantra', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache']);

/** Copies the project into `shadow`, leaving out VCS data, virtualenvs and caches. */
export async function copyProject(workspace: string, shadow: string): Promise<void> {
  await cp(workspace, shadow, {
    recursive: true,
    filter: (src) => !SKIP.has(path.basename(src)) || src === workspace,
  });
}

/** sha256 of each file (workspace-relative), `missing` when it does not exist. */
export async function fingerprint(root: string, files: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    try {
      out[f] = createHash('sha256').update(await readFile(path.join(root, f))).digest('hex');
    } catch {
      out[f] = 'missing';
    }
  }
  return out;
}

/** Files whose fingerprint differs between two snapshots. */
export function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((f) => before[f] !== after[f]);
}
