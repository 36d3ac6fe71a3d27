import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { resolveScannerOptions } from './config.js';

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
