import path from 'node:path';
import type { Finding } from '../findings/types.js';
import { readText, type WalkedFile } from '../walk.js';
import type { AdvisoryDb } from './advisory-db.js';
import { auditRequirements } from './audit.js';
import { manifestParser, type Requirement } from './manifests.js';

export interface DepsResult {
  readonly findings: Finding[];
  readonly requirements: Requirement[];
  readonly diagnostics: string[];
}

/** Parses every manifest among `files` and audits the requirements against `db`. */
export async function auditFiles(files: readonly WalkedFile[], db: AdvisoryDb): Promise<DepsResult> {
  const requirements: Requirement[] = [];
  const diagnostics: string[] = [];
  for (const f of files) {
    const parser = manifestParser(path.basename(f.rel));
    if (!parser) continue;
    const text = await readText(f.abs).catch(() => undefined);
    if (text === undefined) continue;
    const parsed = parser(text, f.rel);
    requirements.push(...parsed.requirements);
    diagnostics.push(...parsed.diagnostics);
  }
  return { findings: auditRequirements(requirements, db), requirements, diagnostics };
}
