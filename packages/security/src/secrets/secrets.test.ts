import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entropy, looksLikeSecret } from './patterns.js';
import { redact } from './redact.js';
import { scanSecrets } from './scan.js';

const dir = path.join(import.meta.dirname, '../../fixtures/secrets');
const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
/** Every literal secret value in the leaky fixture, so tests can prove none leaks. */
function secretValues(text: string): string[] {
  return [...text.matchAll(/"([^"]{8,})"/g)].map((m) => m[1] as string).concat(['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun']);
}

describe('scanSecrets', () => {
  it('finds every known token format, one finding per line, as listed in expected.json', () => {
    const findings = scanSecrets('leaky.py', read('leaky.py'));
    const got = findings.map((f) => `${f.rule}:${f.range.startLine}`);
    expect(got).toEqual(JSON.parse(read('expected.json')));
    expect(findings.every((f) => f.severity === 'critical' && f.cwe.includes('CWE-798'))).toBe(true);
  });

  it('never puts a secret value into a finding', () => {
    const text = read('leaky.py');
    const out = JSON.stringify(scanSecrets('leaky.py', text));
    for (const value of secretValues(text)) {
      const secretPart = value.includes('@') ? 'Qz8vR7tY1u' : value;
      expect(out).not.toContain(secretPart);
    }
    expect(out).toContain('[REDACTED:');
  });

  it('does not flag env lookups, placeholders, docs examples or plain words', () => {
    expect(scanSecrets('clean.py', read('clean.py'))).toEqual([]);
  });

  it('allows fake credentials in tests and example env files', () => {
    expect(scanSecrets('tests/test_login.py', read('tests/test_login.py'))).toEqual([]);
    expect(scanSecrets('.env.example', read('.env.example'))).toEqual([]);
  });

  it('reports 1-based line and column of the secret itself', () => {
    const [f] = scanSecrets('x.py', 'import os\nTOKEN = "ghp_Zx8vQ2mN4bR7tY1uI9oP3aS5dF6gH0jK2lW4"\n');
    expect(f?.range).toEqual({ startLine: 2, startCol: 10, endLine: 2, endCol: 50 });
  });
});

describe('redact', () => {
  it('removes every secret of the leaky fixture', () => {
    const text = read('leaky.py');
    const out = redact(text);
    for (const value of secretValues(text)) {
      const secretPart = value.includes('@') ? 'Qz8vR7tY1u' : value;
      expect(out).not.toContain(secretPart);
    }
  });

  it('redacts .env lines, bearer headers and passwords in URLs but keeps the rest', () => {
    expect(redact('ANTHROPIC_API_KEY=abcd1234efgh5678ijkl')).toBe('ANTHROPIC_API_KEY=[REDACTED:assignment]');
    expect(redact('Authorization: Bearer abcdefghijklmnop0123456789')).toBe('Authorization: Bearer [REDACTED:bearer]');
    expect(redact('postgres://app:pw12345@db/x')).toBe('postgres://app:[REDACTED:database-url-password]@db/x');
    expect(redact('user = get_user(request)\npassword = os.getenv("PW")')).toBe('user = get_user(request)\npassword = os.getenv("PW")');
  });

  it('is idempotent', () => {
    const once = redact(read('leaky.py'));
    expect(redact(once)).toBe(once);
  });
});

describe('entropy allow-list', () => {
  it('separates random strings from words and repeats', () => {
    expect(entropy('aaaaaaaa')).toBe(0);
    expect(looksLikeSecret('Vq9#mT2!xLp7')).toBe(true);
    expect(looksLikeSecret('admin_user')).toBe(false);
    expect(looksLikeSecret('xxxxxxxx')).toBe(false);
    expect(looksLikeSecret('%(password)s')).toBe(false);
  });
});
