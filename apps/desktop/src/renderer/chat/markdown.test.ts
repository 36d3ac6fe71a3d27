import { describe, expect, it } from 'vitest';
import { describeDetails } from './details.js';
import { parseInline, parseMarkdown } from './markdown.js';

describe('parseMarkdown', () => {
  it('parses paragraphs, lists, headings and fenced code', () => {
    const blocks = parseMarkdown('# Plan\nI will add `x` to **app.py**.\n\n- one\n- *two*\n\n```python\ndef f():\n    pass\n```\nDone.');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'code', 'paragraph']);
    expect(blocks[3]).toEqual({ kind: 'code', lang: 'python', text: 'def f():\n    pass', open: false });
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      inline: [
        { kind: 'text', text: 'I will add ' },
        { kind: 'code', text: 'x' },
        { kind: 'text', text: ' to ' },
        { kind: 'strong', text: 'app.py' },
        { kind: 'text', text: '.' },
      ],
    });
  });

  it('shows an unclosed fence as an open code block while tokens stream', () => {
    expect(parseMarkdown('Here:\n```py\nx = 1')).toEqual([
      { kind: 'paragraph', inline: [{ kind: 'text', text: 'Here:' }] },
      { kind: 'code', lang: 'py', text: 'x = 1', open: true },
    ]);
  });

  it('keeps markup as text (the view never renders HTML)', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('describeDetails', () => {
  it('lists breakages with their sites', () => {
    const items = describeDetails('graph', {
      breakages: [{ symbol: 'users.load_user', message: 'removed', sites: [{ file: 'api/routes.py', line: 14, text: 'load_user(1)' }] }],
    });
    expect(items).toEqual([{ kind: 'breakage', title: 'users.load_user: removed', sites: ['api/routes.py:14  load_user(1)'], tone: 'error' }]);
  });

  it('lists failing tests with tracebacks and security findings with locations', () => {
    const items = describeDetails('tests', {
      failures: [{ nodeid: 'tests/test_a.py::test_x', message: 'assert 1 == 2', traceback: 'Traceback...' }],
      findings: [{ ruleId: 'sql-injection', severity: 'HIGH', message: 'formatted SQL', file: 'db.py', line: 3 }],
    });
    expect(items).toEqual([
      { kind: 'test', title: 'tests/test_a.py::test_x: assert 1 == 2', body: 'Traceback...', sites: [], tone: 'error' },
      { kind: 'finding', title: '[HIGH] sql-injection formatted SQL', sites: ['db.py:3'], tone: 'error' },
    ]);
  });

  it('shows console errors and falls back to JSON for unknown shapes', () => {
    expect(describeDetails('browser', { console: [{ level: 'log', text: 'hi' }, { level: 'error', text: 'boom' }] })).toEqual([
      { kind: 'console', title: 'error: boom', sites: [], tone: 'error' },
    ]);
    expect(describeDetails('syntax', { weird: 1 })[0]).toMatchObject({ kind: 'raw', body: '{\n  "weird": 1\n}' });
    expect(describeDetails('syntax', undefined)).toEqual([]);
  });
});
