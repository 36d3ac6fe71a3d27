import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Lists files under a folder as POSIX relative paths. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(dir, r));
    else if (ent.isFile()) out.push(r);
  }
  return out.sort();
}

/**
 * A shadow copy of a project with an overlay applied and some files deleted; `dispose` removes it.
 * Used by the fixture tests and the guard benchmark, never on the user's tree.
 */
export function makeShadow(projectDir: string, overlayDir: string | null, deleted: readonly string[]): { dir: string; changed: string[]; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-shadow-'));
  cpSync(projectDir, dir, { recursive: true });
  const changed: string[] = [];
  if (overlayDir) {
    cpSync(overlayDir, dir, { recursive: true });
    changed.push(...listFiles(overlayDir));
  }
  for (const d of deleted) {
    rmSync(path.join(dir, d), { force: true });
    changed.push(d);
  }
  return { dir, changed, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
