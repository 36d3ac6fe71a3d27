import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { resolveScannerOptions } from './config.js';
import { runSemgrep, type SemgrepResult } from './semgrep/run.js';

const options = resolveScannerOptions();
const rulesDir = options.rulesDir;

interface Rule {
  id: string;
  metadata: { cwe: string[]; owasp: string[]; 'yantra-severity': string; confidence: string };
}

describe('the bundled rule pack', () => {
  const files = readdirSync(rulesDir).filter((f) => f.endsWith('.yaml'));
  const rules = files.flatMap((f) => (parse(readFileSync(path.join(rulesDir, f), 'utf8')) as { rules: Rule[] }).rules);

  it('gives every rule CWE and OWASP metadata, a Yantra severity and a test file', () => {
    expect(rules.length).toBeGreaterThanOrEqual(25);
    for (const r of rules) {
      expect(r.metadata.cwe.length, r.id).toBeGreaterThan(0);
      expect(r.metadata.owasp.length, r.id).toBeGreaterThan(0);
      expect(['critical', 'high', 'medium', 'low'], r.id).toContain(r.metadata['yantra-severity']);
    }
    for (const f of files) expect(readdirSync(rulesDir), f).toContain(f.replace(/\.yaml$/, '.py'));
  });

  it('covers every CWE class of the issue', () => {
    const cwes = new Set(rules.flatMap((r) => r.metadata.cwe.map((c) => c.split(':')[0])));
    for (const c of ['78', '94', '89', '22', '79', '502', '327', '328', '330', '611', '643', '90', '601', '614', '1004', '501', '295', '489', '918', '798']) {
      expect(cwes, `CWE-${c}`).toContain(`CWE-${c}`);
    }
  });

  it('passes semgrep --test: every ruleid line matches and no ok line does', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'yantra-semgrep-test-'));
    const r = (
      await runProcess({
        argv: [options.semgrepPath, '--test', '--metrics=off', '--disable-version-check', '--json', rulesDir],
        cwd: rulesDir,
        env: scrubEnv(process.env, { set: { HOME: home } }),
        timeoutMs: 150_000,
      })
    )._unsafeUnwrap();
    const report = JSON.parse(r.stdout) as { results: Record<string, { checks: Record<string, { passed: boolean }> }> };
    const checks = Object.values(report.results).flatMap((file) => Object.entries(file.checks));
    expect(checks.length).toBeGreaterThanOrEqual(25);
    expect(checks.filter(([, c]) => !c.passed).map(([id]) => id)).toEqual([]);
  }, 170_000);
});

describe('the semgrep front ends', () => {
  // The native CLI (scan --experimental) is the default because it starts ~2 s sooner; it must
  // give exactly what the classic Python CLI gives on every bundled rule example.
  it('find the same results, with the same fixes, on every rule example', async () => {
    const key = (r: SemgrepResult) =>
      JSON.stringify([r.check_id.split('.').pop(), r.path, r.start, r.end, r.extra.message, r.extra.severity, r.extra.fix ?? null]);
    const scan = (engine: 'native' | 'python') =>
      runSemgrep({ semgrepPath: options.semgrepPath, engine, rulesDir, cwd: rulesDir, targets: ['.'], timeoutMs: 150_000 }).map((run) => ({
        engine: run.engine,
        keys: run.results.map(key).sort(),
      }));
    const [native, python] = await Promise.all([scan('native'), scan('python')]);
    expect(native._unsafeUnwrap().engine).toBe('native');
    expect(python._unsafeUnwrap().engine).toBe('python');
    expect(native._unsafeUnwrap().keys.length).toBeGreaterThanOrEqual(25);
    expect(native._unsafeUnwrap().keys).toEqual(python._unsafeUnwrap().keys);
  }, 170_000);

  it('falls back to the Python CLI when the native one fails outright', async () => {
    // A wrapper that refuses --experimental, as a semgrep build without the native CLI would.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yantra-semgrep-wrap-'));
    const wrapper = path.join(dir, 'semgrep');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = "--experimental" ] && { echo "no native CLI here" >&2; exit 2; }; done\nexec ${JSON.stringify(options.semgrepPath)} "$@"\n`,
      { mode: 0o755 },
    );
    const run = (
      await runSemgrep({ semgrepPath: wrapper, rulesDir, cwd: rulesDir, targets: ['debug-mode.py'], timeoutMs: 150_000 })
    )._unsafeUnwrap();
    expect(run.engine).toBe('python');
    expect(run.errors[0]).toMatch(/native semgrep failed, used the Python CLI/);
    expect(run.results.map((r) => r.check_id.split('.').pop())).toContain('debug-mode-enabled');
  }, 170_000);
});
