import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

export const workspaceRoot = path.resolve(import.meta.dirname, '../../..');

export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly bins: Record<string, string>;
  readonly private: boolean;
}

/** Every publishable package and app of the workspace, from their package.json files. */
export function workspacePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(path.join(workspaceRoot, group))) {
      const file = path.join(workspaceRoot, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const pj = JSON.parse(readFileSync(file, 'utf8')) as { name: string; bin?: Record<string, string>; private?: boolean };
      out.push({ dir: path.dirname(file), name: pj.name, bins: pj.bin ?? {}, private: pj.private === true });
    }
  }
  return out;
}
