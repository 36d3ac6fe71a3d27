/** Helpers for this package's tests only; not exported. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The MiniLM folder the setup script fetched. */
export const MODEL_DIR = path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'yantra', 'models', 'all-MiniLM-L6-v2');

export async function tempProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yantra-learn-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** True while a process is running (not gone, not a zombie). */
export async function alive(pid: number): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
