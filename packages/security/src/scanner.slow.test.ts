import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { resolveScannerOptions } from './config.js';
import { createScanner, gate, toSarif, type ScanReport } from './index.js';

const fixture = path.join(import.meta.dirname, '../fixtures/vulnerable-app');
const expected = JSON.parse(readFileSync(path.join(fixture, 'expected-findings.json'), 'utf8')) as string[];
const SECRETS = ['Tr0ub4dor&3xQ9', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc9zQ', 'AKIAZ3MSJV4PQRTW7XYQ', 'hunter2hunter2'];
const brief = (r: ScanReport) => r.findings.map((f) => `${f.rule} ${f.file}:${f.range.startLine}`).sort();

describe('createScanner().scan on a real project', () => {
  let work: string;
  let report: ScanReport;
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'yantra-scan-'));
    cpSync(fixture, work, { recursive: true });
    report = (await createScanner().scan({ root: work }))._unsafeUnwrap();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reports the expected findings from all three engines', () => {
    expect(brief(report)).toEqual(expected);
    expect(new Set(report.findings.map((f) => f.engine))).toEqual(new Set(['semgrep', 'secrets', 'deps']));
    expect(report.timings.total).toBeGreaterThan(0);
  });

  it('keeps every secret out of the report and the SARIF log', () => {
    const outputs = [JSON.stringify(report), JSON.stringify(toSarif(report.findings))];
    for (const out of outputs) for (const s of SECRETS) expect(out).not.toContain(s);
  });

  it('gates on the remaining criticals', () => {
    expect(gate(report.findings).blocked).toBe(true);
  });

  it('rejects a root that does not exist and paths outside the root', async () => {
    expect((await createScanner().scan({ root: path.join(work, 'nope') }))._unsafeUnwrapErr().kind).toBe('bad_input');
    expect((await createScanner().scan({ root: work, paths: ['../etc'] }))._unsafeUnwrapErr().kind).toBe('bad_input');
  });

  it('reports a missing semgrep as tool_missing', async () => {
    const r = await createScanner({ semgrepPath: path.join(work, 'no-semgrep') }).scan({ root: work, deps: false });
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'tool_missing', tool: 'semgrep' });
  });

  it('fixes through the syntax tree, verifies by re-scan, and leaves valid Python', async () => {
    const fixed = (await createScanner().scan({ root: work, fix: true }))._unsafeUnwrap();
    const remainingCode = brief(fixed).filter((f) => !f.startsWith('PYSEC'));
    // The table-name f-string is refused (an identifier cannot be a parameter).
    expect(remainingCode).toEqual(['sql-injection-formatted-query app.py:18']);
    expect(fixed.rejected.map((r) => r.reason).join('\n')).toMatch(/identifier/);
    expect(fixed.fixed.map((f) => f.rule).sort()).toEqual([
      'command-injection-shell',
      'debug-mode-enabled',
      'insecure-random-token',
      'secret-aws-access-key-id',
      'secret-database-url-password',
      'secret-generic-secret-assignment',
      'secret-stripe-key',
      'sql-injection-formatted-query',
      'sql-injection-formatted-query',
      'tls-verify-disabled',
      'unsafe-yaml-load',
      'weak-hash-for-password',
    ]);
    expect(fixed.fixed.some((f) => /rotate/i.test(f.notice ?? ''))).toBe(true);

    const app = readFileSync(path.join(work, 'app.py'), 'utf8');
    expect(app).toContain('cur.execute("SELECT * FROM users WHERE name = ? AND age > ?", (name, name))');
    expect(app).toContain('cur.execute(sql, (name,))');
    expect(app).toContain('subprocess.run(["ls", "-l", str(name)])');
    expect(app).toContain('yaml.safe_load(open("config.yaml"))');
    expect(app).toContain('DB_PASSWORD = os.getenv("DB_PASSWORD")');
    expect(app).toMatch(/^import os$/m);
    expect(readFileSync(path.join(work, '.env.example'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['DB_PASSWORD=', 'STRIPE_KEY=', 'AWS_ACCESS_KEY_ID=', 'DATABASE_URL=']),
    );
    for (const s of SECRETS) expect(readFileSync(path.join(work, 'settings.py'), 'utf8') + app).not.toContain(s);

    const python = resolveScannerOptions().python;
    const compiled = (
      await runProcess({ argv: [python, '-m', 'py_compile', 'app.py', 'settings.py'], cwd: work, env: scrubEnv(process.env, { set: { PYTHONDONTWRITEBYTECODE: '1' } }), timeoutMs: 30_000 })
    )._unsafeUnwrap();
    expect(compiled.stderr).toBe('');
    expect(compiled.exitCode).toBe(0);
  }, 120_000);
});
