import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChange, reviewChange } from './change.js';
import { parseEditBlocks } from './parse.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/edits');

describe('edit fixtures (fixtures/edits/<case>: before.py + reply.md → after.py or expected-error.json)', () => {
  for (const name of readdirSync(fixtures)) {
    it(name, () => {
      const dir = path.join(fixtures, name);
      const before = readFileSync(path.join(dir, 'before.py'), 'utf8');
      const { blocks, problems } = parseEditBlocks(readFileSync(path.join(dir, 'reply.md'), 'utf8'));
      expect(problems).toEqual([]);
      const result = buildChange(blocks, (p) => (p === 'shapes.py' ? before : null));
      if (existsSync(path.join(dir, 'expected-error.json'))) {
        const expected = JSON.parse(readFileSync(path.join(dir, 'expected-error.json'), 'utf8')) as { problems: string[] };
        expect(result._unsafeUnwrapErr().map((p) => p.kind)).toEqual(expected.problems);
      } else {
        const files = result._unsafeUnwrap();
        expect(files).toHaveLength(1);
        expect(files[0]?.after).toBe(readFileSync(path.join(dir, 'after.py'), 'utf8'));
      }
    });
  }
});

describe('parseEditBlocks', () => {
  it('creates a new file from an empty SEARCH', () => {
    const { blocks } = parseEditBlocks('pkg/new_mod.py\n<<<<<<< SEARCH\n=======\nX = 1\n>>>>>>> REPLACE\n');
    const files = buildChange(blocks, () => null)._unsafeUnwrap();
    expect(files).toEqual([{ path: 'pkg/new_mod.py', before: null, after: 'X = 1\n' }]);
  });

  it('reports a block with no path and an unterminated block', () => {
    expect(parseEditBlocks('<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n').problems[0]?.message).toMatch(/path/);
    expect(parseEditBlocks('f.py\n<<<<<<< SEARCH\na\n=======\nb\n').problems[0]?.message).toMatch(/REPLACE/);
  });
});

describe('reviewChange', () => {
  it('flags removed functions and drastic shrinking', () => {
    const before = ['def keep():', '    pass', 'def gone():', '    pass', ...Array.from({ length: 30 }, (_, i) => `X${i} = ${i}`)].join('\n');
    const after = 'def keep():\n    pass\n';
    const kinds = reviewChange([{ path: 'm.py', before, after }]).map((w) => w.kind);
    expect(kinds).toEqual(['deleted_symbols', 'drastic_shrink']);
  });

  it('does not flag additions', () => {
    expect(reviewChange([{ path: 'm.py', before: 'def a():\n    pass\n', after: 'def a():\n    pass\n\ndef b():\n    pass\n' }])).toEqual([]);
  });
});
