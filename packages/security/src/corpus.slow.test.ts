import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { resolveScannerOptions } from './config.js';
import { createScanner, type Finding } from './index.js';

/**
 * The labelled corpus (`corpus/<class>.yaml`): vulnerable snippets and safe look-alikes per CWE
 * class. Each case becomes one file; a case counts as flagged when any finding on it carries
 * one of the class's CWEs. Rates are written to test-output/corpus.json for the README.
 */
interface CorpusFile {
  class: string;
  title: string;
  prelude?: string;
  cases: Array<{ vuln?: string; safe?: string }>;
}
const ALIASES: Record<string, string[]> = { 'CWE-327': ['CWE-327', 'CWE-328'], 'CWE-614': ['CWE-614', 'CWE-1004'] };
const corpusDir = path.join(import.meta.dirname, '../corpus');
const classes = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(path.join(corpusDir, f), 'utf8')) as CorpusFile);

interface Row {
  cls: string;
  title: string;
  vulnerable: number;
  safe: number;
  tp: number;
  fp: number;
  tpr: number;
  fpr: number;
  missed: string[];
  falseAlarms: string[];
}

describe('labelled corpus', () => {
  let work: string;
  let findings: Finding[];
  const labels = new Map<string, { cls: string; vulnerable: boolean }>();
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'yantra-corpus-'));
    for (const c of classes) {
      const dir = path.join(work, c.class.toLowerCase());
      mkdirSync(dir, { recursive: true });
      c.cases.forEach((k, i) => {
        const vulnerable = k.vuln !== undefined;
        const name = `${c.class.toLowerCase()}/case${String(i).padStart(2, '0')}_${vulnerable ? 'vuln' : 'safe'}.py`;
        writeFileSync(path.join(work, name), `${c.prelude ?? ''}\n\n${k.vuln ?? k.safe ?? ''}`);
        labels.set(name, { cls: c.class, vulnerable });
      });
    }
    findings = [...(await createScanner().scan({ root: work, deps: false }))._unsafeUnwrap().findings];
  }, 170_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has at least 20 cases per class, half of them safe look-alikes', () => {
    expect(classes.length).toBe(18);
    for (const c of classes) {
      expect(c.cases.length, c.class).toBeGreaterThanOrEqual(20);
      expect(c.cases.filter((k) => k.safe !== undefined).length, c.class).toBeGreaterThanOrEqual(c.cases.length / 2);
    }
  });

  it('reaches TPR >= 90% and FPR <= 10% in every class', () => {
    const rows: Row[] = classes.map((c) => {
      const cwes = ALIASES[c.class] ?? [c.class];
      const flagged = new Set(findings.filter((f) => f.cwe.some((x) => cwes.includes(x))).map((f) => f.file));
      const files = [...labels].filter(([, l]) => l.cls === c.class);
      const vuln = files.filter(([, l]) => l.vulnerable).map(([f]) => f);
      const safe = files.filter(([, l]) => !l.vulnerable).map(([f]) => f);
      const tp = vuln.filter((f) => flagged.has(f)).length;
      const fp = safe.filter((f) => flagged.has(f)).length;
      return {
        cls: c.class,
        title: c.title,
        vulnerable: vuln.length,
        safe: safe.length,
        tp,
        fp,
        tpr: tp / vuln.length,
        fpr: fp / safe.length,
        missed: vuln.filter((f) => !flagged.has(f)),
        falseAlarms: safe.filter((f) => flagged.has(f)),
      };
    });
    mkdirSync(path.join(import.meta.dirname, '../test-output'), { recursive: true });
    writeFileSync(path.join(import.meta.dirname, '../test-output/corpus.json'), JSON.stringify(rows, null, 2));
    const failing = rows.filter((r) => r.tpr < 0.9 || r.fpr > 0.1).map((r) => ({ cls: r.cls, tpr: r.tpr, fpr: r.fpr, missed: r.missed, falseAlarms: r.falseAlarms }));
    expect(failing).toEqual([]);
  });

  it('auto-fix resolves at least 80% of critical findings with zero syntax breakages', async () => {
    const critical = (fs: readonly Finding[]) => fs.filter((f) => f.severity === 'critical').length;
    const before = critical(findings);
    const report = (await createScanner().scan({ root: work, fix: true, deps: false }))._unsafeUnwrap();
    const after = critical(report.findings);
    const resolved = (before - after) / before;
    writeFileSync(
      path.join(import.meta.dirname, '../test-output/corpus-fix.json'),
      JSON.stringify(
        {
          before,
          after,
          resolved,
          fixed: report.fixed.length,
          remaining: report.findings.filter((f) => f.severity === 'critical').map((f) => `${f.file} ${f.rule}`),
          rejected: report.rejected,
        },
        null,
        2,
      ),
    );
    expect(before).toBeGreaterThan(30);
    expect(resolved).toBeGreaterThanOrEqual(0.8);
    const python = resolveScannerOptions().python;
    const compile = (
      await runProcess({
        argv: [python, '-m', 'compileall', '-q', '-f', '.'],
        cwd: work,
        env: scrubEnv(process.env, { set: { PYTHONDONTWRITEBYTECODE: '1' } }),
        timeoutMs: 60_000,
      })
    )._unsafeUnwrap();
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.exitCode).toBe(0);
  }, 170_000);
});
