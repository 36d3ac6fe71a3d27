import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodeBlockStream, extractCodeBlocks, type CodeBlock } from './code-blocks.js';

const root = path.join(import.meta.dirname, '..', 'fixtures', 'code-blocks');
const cases = readdirSync(root);

describe.each(cases)('code blocks: %s', (name) => {
  const input = readFileSync(path.join(root, name, 'input.md'), 'utf8');
  const expected = JSON.parse(readFileSync(path.join(root, name, 'expected.json'), 'utf8')) as CodeBlock[];

  it('extracts the expected blocks from the whole text', () => {
    expect(extractCodeBlocks(input)).toEqual(expected);
  });

  it.each([1, 3, 7, 64])('gives the same blocks when streamed in %i-character deltas', (size) => {
    const stream = createCodeBlockStream();
    const seen: CodeBlock[] = [];
    for (let i = 0; i < input.length; i += size) seen.push(...stream.push(input.slice(i, i + size)));
    seen.push(...stream.flush());
    expect(seen).toEqual(expected);
  });
});

it('emits a block as soon as its closing fence line arrives', () => {
  const stream = createCodeBlockStream();
  expect(stream.push('```py\nx = 1\n``')).toEqual([]);
  expect(stream.push('`\n')).toEqual([{ language: 'py', code: 'x = 1', complete: true }]);
  expect(stream.flush()).toEqual([]);
});
