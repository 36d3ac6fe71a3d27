import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScannerOptions } from '../config.js';
import { buildAdvisoryDb, loadAdvisoryDb, writeAdvisoryDb } from './advisory-db.js';
import { affects, auditRequirements, inRange, severityFromCvss } from './audit.js';
import {
  parsePipfileLock,
  parsePoetryLock,
  parsePyproject,
  parseRequirementsTxt,
  parseSetupCfg,
  poetryToPep440,
  type Requirement,
} from './manifests.js';

const fx = (...p: string[]) => path.join(import.meta.dirname, '../../fixtures', ...p);
const read = (...p: string[]) => readFileSync(fx(...p), 'utf8');
const brief = (rs: readonly Requirement[]) => rs.map((r) => `${r.name}|${r.specifier}|${r.pinned ?? ''}|${r.line}`);

describe('manifest parsers', () => {
  it('reads requirements.txt: pins, ranges, markers, hashes and continuations; skips options, URLs and paths', () => {
    const r = parseRequirementsTxt(read('manifests', 'requirements-dev.txt'), 'requirements-dev.txt');
    expect(brief(r.requirements)).toEqual(['pytest|==7.0.0|7.0.0|3', 'werkzeug|==0.15.0|0.15.0|5', 'black|>=22.1||8']);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads PEP 621 and Poetry tables from pyproject.toml, converting Poetry constraints', () => {
    const r = parsePyproject(read('manifests', 'pyproject.toml'), 'pyproject.toml');
    expect(brief(r.requirements)).toEqual([
      'django|==3.2.0|3.2.0|5',
      'requests|>=2.25,<3||6',
      'click|||7',
      'lxml|>=4.6.0||11',
      'jinja2|>=2.10,<3.0.0||15',
      'pillow|>=8.1.0,<8.2.0||16',
      'urllib3|==1.26.4|1.26.4|17',
      'pytest|||20',
    ]);
  });

  it('reads lock files and setup.cfg', () => {
    expect(brief(parsePoetryLock(read('manifests', 'poetry.lock'), 'poetry.lock').requirements)).toEqual([
      'jinja2|==2.10.1|2.10.1|2',
      'urllib3|==1.26.4|1.26.4|7',
    ]);
    expect(brief(parsePipfileLock(read('manifests', 'Pipfile.lock'), 'Pipfile.lock').requirements).map((s) => s.split('|').slice(0, 3).join('|'))).toEqual([
      'pyyaml|==5.3.1|5.3.1',
      'flask|==2.0.0|2.0.0',
      'pytest|==7.0.0|7.0.0',
    ]);
    expect(brief(parseSetupCfg(read('manifests', 'setup.cfg'), 'setup.cfg').requirements)).toEqual([
      'pillow|>=8.0.0||7',
      'cryptography|==3.2|3.2|8',
      'six|||9',
      'aiohttp|==3.7.3|3.7.3|12',
    ]);
  });

  it('reports broken manifests as diagnostics, not errors', () => {
    expect(parsePyproject('[project\n', 'pyproject.toml').diagnostics[0]).toMatch(/invalid TOML/);
    expect(parsePipfileLock('{', 'Pipfile.lock').requirements).toEqual([]);
  });

  it('converts Poetry caret and tilde constraints', () => {
    expect(poetryToPep440('^1.2.3')).toBe('>=1.2.3,<2.0.0');
    expect(poetryToPep440('^0.2.3')).toBe('>=0.2.3,<0.3.0');
    expect(poetryToPep440('~1.2')).toBe('>=1.2,<1.3.0');
    expect(poetryToPep440('>=1.0, <2.0')).toBe('>=1.0,<2.0');
    expect(poetryToPep440('*')).toBe('');
  });
});

describe('advisory database', () => {
  it('compiles an OSV directory, skipping withdrawn and unreadable advisories, and round-trips', async () => {
    const { db, skipped } = (await buildAdvisoryDb(fx('osv-mini'), { now: () => new Date('2099-01-02T00:00:00Z') }))._unsafeUnwrap();
    expect(skipped).toBe(2);
    expect(db.advisoryCount).toBe(2);
    expect(db.source).toMatchObject({ snapshot: '0123456789abcdef (2099-01-01)', license: 'CC-BY-4.0' });
    expect(Object.keys(db.packages)).toEqual(['demo-pkg']);
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'yantra-db-')), 'db.json.gz');
    (await writeAdvisoryDb(db, out))._unsafeUnwrap();
    expect((await loadAdvisoryDb(out))._unsafeUnwrap()).toEqual(db);
  });

  it('refuses a corrupt database file', async () => {
    const bad = path.join(mkdtempSync(path.join(os.tmpdir(), 'yantra-db-')), 'bad.json.gz');
    writeFileSync(bad, 'not gzip');
    expect((await loadAdvisoryDb(bad))._unsafeUnwrapErr().kind).toBe('db_invalid');
  });

  it('matches with PEP 440 ordering: pre-releases, multiple ranges and explicit versions', async () => {
    const { db } = (await buildAdvisoryDb(fx('osv-mini')))._unsafeUnwrap();
    const [rce, leak] = db.packages['demo-pkg'] ?? [];
    expect(rce && affects(rce, '1.4.1')).toBe(true);
    expect(rce && affects(rce, '1.4.2')).toBe(false);
    expect(rce && affects(rce, '1.4.2rc1')).toBe(true);
    expect(rce && affects(rce, '1.9')).toBe(false);
    expect(rce && affects(rce, '2.0')).toBe(true);
    expect(rce && affects(rce, '2.0rc1')).toBe(true);
    expect(rce && affects(rce, '2.1.post1')).toBe(false);
    expect(leak && affects(leak, '0.9.1')).toBe(true);
    expect(leak && affects(leak, '0.9.2')).toBe(false);
    expect(inRange('5.0', [{ i: '0' }, { l: '4.9' }])).toBe(false);
    expect(inRange('4.9', [{ i: '0' }, { l: '4.9' }])).toBe(true);
  });

  it('reports advisory id, CVE alias, affected range and the next fixed version', async () => {
    const { db } = (await buildAdvisoryDb(fx('osv-mini')))._unsafeUnwrap();
    const findings = auditRequirements(
      [
        { name: 'demo-pkg', specifier: '==2.0.1', pinned: '2.0.1', file: 'requirements.txt', line: 3 },
        { name: 'demo-pkg', specifier: '>=1.1,<2', file: 'pyproject.toml', line: 7 },
        { name: 'demo-pkg', specifier: '==1.5', pinned: '1.5', file: 'poetry.lock', line: 1 },
      ],
      db,
    );
    expect(findings.map((f) => [f.file, f.rule, f.severity, f.details?.['fixedVersion'], f.details?.['basis']])).toEqual([
      ['requirements.txt', 'PYSEC-2099-1', 'critical', '2.1', 'pinned'],
      ['pyproject.toml', 'PYSEC-2099-1', 'high', '1.4.2', 'minimum'],
    ]);
    expect(findings[0]?.details).toMatchObject({ aliases: ['CVE-2099-0001'], affected: ['>=1.0,<1.4.2,>=2.0rc1,<2.1'] });
    expect(findings[0]?.message).toContain('CVE-2099-0001');
    expect(findings[0]?.range.startLine).toBe(3);
  });

  it('ships a real snapshot that flags known-vulnerable pins', async () => {
    const db = (await loadAdvisoryDb(resolveScannerOptions().advisoryDb))._unsafeUnwrap();
    expect(db.advisoryCount).toBeGreaterThan(2500);
    expect(db.source.license).toBe('CC-BY-4.0');
    const findings = auditRequirements([{ name: 'django', specifier: '==3.2.0', pinned: '3.2.0', file: 'r.txt', line: 1 }], db);
    expect(findings.length).toBeGreaterThan(10);
    expect(findings.some((f) => (f.details?.['aliases'] as string[]).some((a) => a.startsWith('CVE-')))).toBe(true);
    expect(auditRequirements([{ name: 'django', specifier: '==5.1.2', pinned: '5.1.2', file: 'r.txt', line: 1 }], db)).toEqual([]);
  });

  it('grades severity from the CVSS vector', () => {
    expect(severityFromCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe('critical');
    expect(severityFromCvss('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N')).toBe('high');
    expect(severityFromCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe('medium');
  });
});
