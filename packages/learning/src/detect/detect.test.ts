import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRedact } from '../sanitize.js';
import { detectCorrection } from './correction.js';
import { detectMistake } from './detect.js';
import type { MistakeInput } from './inputs.js';
import { errorSignature } from './signature.js';
import { validateMistakeInput } from './validate.js';

const root = path.resolve(import.meta.dirname, '../../fixtures');
const cases = readdirSync(path.join(root, 'detect'));

describe('detectMistake (fixtures/detect/<case>/input.json → expected.json)', () => {
  it.each(cases)('%s', (name) => {
    const read = (f: string) => JSON.parse(readFileSync(path.join(root, 'detect', name, f), 'utf8')) as Record<string, unknown>;
    const input = read('input.json');
    const expected = read('expected.json');
    const checked = validateMistakeInput(input);
    expect(checked.ok).toBe(true);
    const got = detectMistake(input as unknown as MistakeInput, defaultRedact);
    if ('ignored' in expected) expect(got).toBe(expected['ignored']);
    else expect(got).toMatchObject(expected);
  });
});

describe('error signatures', () => {
  it('are equal for the same mistake in other names, paths and lines', () => {
    expect(errorSignature('RuntimeWarning', "coroutine 'fetch_user' was never awaited at app/a.py line 3")).toBe(
      errorSignature('RuntimeWarning', "coroutine 'get_order' was never awaited at lib/b.py line 90"),
    );
  });

  it('differ for another error type or another context', () => {
    const a = errorSignature('TypeError', 'unsupported operand');
    expect(errorSignature('ValueError', 'unsupported operand')).not.toBe(a);
    expect(errorSignature('TypeError', 'missing argument')).not.toBe(a);
  });
});

describe('detectCorrection (fixtures/corrections.json)', () => {
  const rows = JSON.parse(readFileSync(path.join(root, 'corrections.json'), 'utf8')) as {
    text: string;
    kind: string | null;
    wrong?: string;
    right?: string;
  }[];
  it.each(rows.map((r) => [r.text, r] as const))('%j', (_text, row) => {
    const got = detectCorrection(row.text);
    if (row.kind === null) {
      expect(got).toBeNull();
      return;
    }
    expect(got).toMatchObject({ kind: row.kind, ...(row.wrong ? { wrong: row.wrong } : {}), ...(row.right ? { right: row.right } : {}) });
  });
});

describe('validateMistakeInput', () => {
  it('names the first problem of a malformed input', () => {
    expect(validateMistakeInput({ source: 'test', model: 'm', failure: { nodeId: 't' } })).toEqual({ ok: false, reason: '"failure" needs a "message" or a "traceback"' });
    expect(validateMistakeInput({ source: 'nope', model: 'm' })).toMatchObject({ ok: false });
    expect(validateMistakeInput([])).toMatchObject({ ok: false });
    expect(validateMistakeInput({ source: 'manual', model: 'm', description: 'x', category: 'bogus', severity: 'minor' })).toMatchObject({ ok: false });
  });
});
