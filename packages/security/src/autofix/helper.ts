import path from 'node:path';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { assetRoot } from '../config.js';
import type { Finding, SecurityError } from '../findings/types.js';

/** Rules the Python fixer knows how to rewrite (secrets engine rules are `secret-*`). */
export const FIXABLE_RULES = new Set([
  'sql-injection-formatted-query',
  'hardcoded-credential',
  'command-injection-shell',
  'subprocess-shell-true',
  'unsafe-yaml-load',
  'unsafe-yaml-load-all',
  'tls-verify-disabled',
  'debug-mode-enabled',
  'django-debug-setting',
  'insecure-random-token',
  'weak-hash-for-password',
]);

export function isFixable(f: Finding): boolean {
  return f.file.endsWith('.py') && (FIXABLE_RULES.has(f.rule) || (f.engine === 'secrets' && f.rule.startsWith('secret-')));
}

export interface HelperApplied {
  readonly id: string;
  readonly description: string;
  readonly notice?: string;
  readonly env?: readonly string[];
}

export interface HelperFile {
  readonly file: string;
  /** The fixed source, or null when nothing was applied. */
  readonly text: string | null;
  readonly applied: readonly HelperApplied[];
  readonly rejected: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

/** Runs `python/yantra_fix.py` on the findings of each file; it reads files under `root`. */
export function runFixHelper(
  python: string,
  root: string,
  findings: readonly Finding[],
  timeoutMs: number,
): ResultAsync<HelperFile[], SecurityError> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  if (byFile.size === 0) return okAsync([]);
  const request = {
    root,
    files: [...byFile].map(([file, fs]) => ({
      file,
      findings: fs.map((f) => ({ id: f.id, rule: f.rule, ...f.range })),
    })),
  };
  const script = path.join(assetRoot(), 'python', 'yantra_fix.py');
  return runProcess({
    argv: [python, '-I', script],
    cwd: root,
    env: scrubEnv(process.env, { set: { PYTHONDONTWRITEBYTECODE: '1' } }),
    stdin: JSON.stringify(request),
    timeoutMs,
  })
    .mapErr((e): SecurityError => makeError('tool_missing', `python not runnable at ${python}: ${e.message}`, { tool: 'python' }))
    .andThen((r) => {
      if (r.timedOut) return errAsync(makeError('timeout', `the fixer took longer than ${timeoutMs} ms`, { tool: 'python' }));
      try {
        if (r.exitCode !== 0) throw new Error('non-zero exit');
        return okAsync((JSON.parse(r.stdout) as { files: HelperFile[] }).files);
      } catch {
        return errAsync(
          makeError('tool_failed', `the fixer failed (exit ${String(r.exitCode)})`, {
            tool: 'python',
            exitCode: r.exitCode,
            stderr: r.stderr.slice(-2000),
          }),
        );
      }
    });
}
