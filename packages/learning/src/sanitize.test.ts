import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeRedact, defaultRedact, relevantExcerpt } from './sanitize.js';

const dir = path.resolve(import.meta.dirname, '../fixtures/secrets');
const source = readFileSync(path.join(dir, 'settings.py'), 'utf8');
const secrets = readFileSync(path.join(dir, 'secrets.txt'), 'utf8').split('\n').filter(Boolean);

describe('defaultRedact', () => {
  it('masks every secret of the fixture and keeps the code readable', () => {
    const out = defaultRedact(source);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain('OPENAI_API_KEY = "[REDACTED]"');
    expect(out).toContain('postgres://admin:[REDACTED]@db.internal');
    expect(out).toContain('def connect():');
  });

  it('leaves ordinary code alone', () => {
    const code = 'def total(items):\n    return sum(i.price for i in items)  # token count: 3\n';
    expect(defaultRedact(code)).toBe(code);
  });

  it('runs after an injected redactor', () => {
    const redact = composeRedact((t) => t.replace(/internal-\d+/g, '<masked>'));
    expect(redact('host internal-42 key sk-ant-abcdefghijklmnop')).toBe('host <masked> key [REDACTED]');
  });
});

describe('relevantExcerpt', () => {
  const file = Array.from({ length: 200 }, (_, i) => `line_${i + 1} = ${i + 1}`).join('\n');

  it('keeps the lines around the failing line, never the whole file', () => {
    expect(relevantExcerpt(file, { line: 100 }).split('\n')).toEqual(Array.from({ length: 7 }, (_, i) => `line_${97 + i} = ${97 + i}`));
  });

  it('keeps the first lines without a line hint and caps characters', () => {
    expect(relevantExcerpt(file).split('\n')).toHaveLength(12);
    expect(relevantExcerpt('x'.repeat(5000)).length).toBeLessThanOrEqual(1201);
  });
});
