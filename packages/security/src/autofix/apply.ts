import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultAsync, okAsync } from 'neverthrow';
import { describeUnknown, makeError, writeFileAtomic } from '@yantra/shared';
import type { ResolvedScannerOptions } from '../config.js';
import { runEngines } from '../engines.js';
import type { AppliedFix, Finding, RejectedFix, SecurityError } from '../findings/types.js';
import { isFixable, runFixHelper, type HelperFile } from './helper.js';

export interface FixOutcome {
  /** Findings after fixing: re-scanned for changed files, unchanged otherwise. */
  readonly findings: Finding[];
  readonly fixed: AppliedFix[];
  readonly rejected: RejectedFix[];
}

function countByRule(findings: readonly Finding[], file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) if (f.file === file) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/**
 * Applies the AST fixer, then verifies its output in a scratch copy: the fixed files must parse
 * (the helper checks) and a re-scan must show fewer findings of each fixed rule. Rules whose
 * count does not drop are excluded and the file is fixed again without them. Only verified
 * files are written back, atomically.
 */
export function applyFixes(options: ResolvedScannerOptions, root: string, findings: readonly Finding[]): ResultAsync<FixOutcome, SecurityError> {
  const candidates = findings.filter(isFixable);
  if (candidates.length === 0) return okAsync({ findings: [...findings], fixed: [], rejected: [] });
  const byId = new Map(findings.map((f) => [f.id, f]));
  const rejected: RejectedFix[] = [];
  const reject = (id: string, reason: string) => {
    const f = byId.get(id);
    if (f) rejected.push({ file: f.file, rule: f.rule, findingId: id, reason });
  };

  const attempt = async (excluded: Set<string>, scratch: string): Promise<{ files: HelperFile[]; rescanned: Finding[]; bad: Set<string> }> => {
    const helper = await runFixHelper(options.python, root, candidates.filter((f) => !excluded.has(f.id)), options.timeoutMs);
    const files = helper.match(
      (v) => v,
      (e) => {
        throw e;
      },
    );
    const changed = files.filter((f) => f.text !== null);
    for (const f of changed) {
      const target = path.join(scratch, f.file);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, f.text ?? '');
    }
    const rescan = await runEngines(options, { root: scratch, paths: changed.map((f) => f.file) });
    const rescanned = rescan.match(
      (v) => v.findings,
      (e) => {
        throw e;
      },
    );
    const bad = new Set<string>();
    for (const f of changed) {
      const before = countByRule(findings, f.file);
      const after = countByRule(rescanned, f.file);
      const fixedPerRule = new Map<string, string[]>();
      for (const a of f.applied) {
        const rule = byId.get(a.id)?.rule ?? '';
        fixedPerRule.set(rule, [...(fixedPerRule.get(rule) ?? []), a.id]);
      }
      for (const [rule, ids] of fixedPerRule) {
        // Secret findings may be re-found by the semgrep rule and vice versa; compare both kinds.
        if ((after.get(rule) ?? 0) > (before.get(rule) ?? 0) - ids.length) ids.forEach((id) => bad.add(id));
      }
    }
    return { files, rescanned, bad };
  };

  const work = async (): Promise<FixOutcome> => {
    const excluded = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'yantra-fix-'));
      try {
        const { files, rescanned, bad } = await attempt(excluded, scratch);
        if (bad.size > 0 && round < 2) {
          bad.forEach((id) => excluded.add(id));
          continue;
        }
        const verified = files.filter((f) => f.text !== null && !f.applied.some((a) => bad.has(a.id)));
        for (const id of excluded) reject(id, 'the re-scan still reports this finding after the fix');
        for (const f of files) {
          for (const r of f.rejected) if (!excluded.has(r.id)) reject(r.id, r.reason);
          if (!verified.includes(f)) for (const a of f.applied) reject(a.id, 'the re-scan still reports this finding after the fix');
        }
        const fixed: AppliedFix[] = [];
        const envVars = new Set<string>();
        for (const f of verified) {
          await writeFileAtomic(path.join(root, f.file), f.text ?? '').match(
            () => undefined,
            (e) => {
              throw makeError('io', e.message, { path: e.path });
            },
          );
          for (const a of f.applied) {
            const finding = byId.get(a.id);
            fixed.push({
              file: f.file,
              rule: finding?.rule ?? '',
              findingId: a.id,
              description: a.description,
              ...(a.notice ? { notice: a.notice } : {}),
            });
            a.env?.forEach((v) => envVars.add(v));
          }
        }
        if (envVars.size > 0) await addEnvExample(root, [...envVars]);
        const changed = new Set(verified.map((f) => f.file));
        return {
          findings: [...findings.filter((f) => !changed.has(f.file)), ...rescanned.filter((f) => changed.has(f.file))],
          fixed,
          rejected,
        };
      } finally {
        await fs.rm(scratch, { recursive: true, force: true });
      }
    }
    return { findings: [...findings], fixed: [], rejected };
  };
  return ResultAsync.fromPromise(work(), (e): SecurityError =>
    typeof e === 'object' && e !== null && 'kind' in e ? (e as SecurityError) : makeError('io', `auto-fix failed: ${describeUnknown(e)}`, { path: root }),
  );
}

/** Adds `NAME=` lines for new environment variables to `.env.example`, keeping what is there. */
async function addEnvExample(root: string, names: readonly string[]): Promise<void> {
  const file = path.join(root, '.env.example');
  const existing = await fs.readFile(file, 'utf8').catch(() => '');
  const present = new Set(existing.split('\n').map((l) => l.split('=')[0]?.trim()));
  const missing = names.filter((n) => !present.has(n));
  if (missing.length === 0) return;
  const prefix = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  const header = '# Added by yantra-security auto-fix: these values were committed to the source, so rotate them.\n';
  const body = `${prefix}${existing.includes(header) ? '' : header}${missing.map((n) => `${n}=\n`).join('')}`;
  await writeFileAtomic(file, body).match(
    () => undefined,
    (e) => {
      throw makeError('io', e.message, { path: file });
    },
  );
}
