import { describe, expect, it } from 'vitest';
import { gate } from './gate.js';
import { toSarif } from './sarif.js';
import type { Finding, Severity } from './types.js';

function finding(rule: string, severity: Severity, cwe: string[], line = 1): Finding {
  return {
    id: `semgrep-${rule}-${line}`,
    engine: 'semgrep',
    rule,
    cwe,
    owasp: ['A03:2021 - Injection'],
    severity,
    confidence: 'high',
    file: 'app/db.py',
    range: { startLine: line, startCol: 5, endLine: line, endCol: 40 },
    message: 'SQL built with string formatting. Use parameters.',
    snippet: 'cur.execute(q)',
  };
}

describe('gate', () => {
  const findings = [finding('sql', 'critical', ['CWE-89']), finding('cookie', 'medium', ['CWE-614']), finding('tls', 'high', ['CWE-295'])];

  it('blocks on a critical finding by default, naming it', () => {
    const r = gate(findings);
    expect(r.blocked).toBe(true);
    expect(r.reasons).toEqual(['critical sql at app/db.py:1: SQL built with string formatting. Use parameters.']);
  });

  it('passes when only lower severities remain, and can be tightened to high', () => {
    const rest = findings.slice(1);
    expect(gate(rest)).toEqual({ blocked: false, reasons: [] });
    expect(gate(rest, { blockOn: 'high' }).reasons).toHaveLength(1);
    expect(gate(rest, { blockOn: 'medium' }).reasons).toHaveLength(2);
  });

  it('ignores listed rules', () => {
    expect(gate(findings, { ignoreRules: ['sql'] }).blocked).toBe(false);
  });
});

describe('toSarif', () => {
  it('writes SARIF 2.1.0 with one rule entry per rule, CWE tags and regions', () => {
    const log = toSarif([finding('sql', 'critical', ['CWE-89'], 3), finding('sql', 'critical', ['CWE-89'], 9), finding('tls', 'high', ['CWE-295'])], {
      toolVersion: '1.2.3',
    }) as {
      version: string;
      runs: Array<{
        tool: { driver: { version: string; rules: Array<{ id: string; properties: { tags: string[]; 'security-severity': string } }> } };
        results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
      }>;
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver.version).toBe('1.2.3');
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(['sql', 'tls']);
    expect(run?.tool.driver.rules[0]?.properties.tags).toEqual(['security', 'CWE-89', 'OWASP-A03:2021']);
    expect(run?.tool.driver.rules[0]?.properties['security-severity']).toBe('9.5');
    expect(run?.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.locations[0]?.physicalLocation.region.startLine])).toEqual([
      ['sql', 0, 'error', 3],
      ['sql', 0, 'error', 9],
      ['tls', 1, 'error', 1],
    ]);
  });
});
