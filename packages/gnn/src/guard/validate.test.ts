import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphEngine, type GraphEngine } from '../engine.js';
import { makeShadow } from './shadow.js';
import { validateChange } from './validate.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'guard');

interface Expected {
  readonly deleted: string[];
  readonly breakages: { kind: string; symbol: string; files: string[] }[];
}

const cases = readdirSync(FIXTURES).sort();

describe('validateChange fixtures', () => {
  // Every case shares the same "before" project, so one graph serves them all.
  let engine: GraphEngine;
  beforeAll(async () => {
    engine = createGraphEngine({ root: path.join(FIXTURES, cases[0] ?? '', 'before'), dbPath: false });
    (await engine.build())._unsafeUnwrap();
  });
  afterAll(() => engine.close());

  it('has a case for every breakage kind and for compatible changes', () => {
    const kinds = new Set(cases.flatMap((c) => (JSON.parse(readFileSync(path.join(FIXTURES, c, 'expected.json'), 'utf8')) as Expected).breakages.map((b) => b.kind)));
    expect([...kinds].sort()).toEqual(['module_removed', 'override_incompatible', 'removed_or_renamed', 'return_shape_changed', 'signature_incompatible', 'syntax_error', 'unresolved_import', 'unresolved_name']);
    expect(cases.filter((c) => c.startsWith('ok-')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(FIXTURES, name);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    const after = path.join(dir, 'after');
    const shadow = makeShadow(path.join(dir, 'before'), existsSync(after) ? after : null, expected.deleted);
    try {
      const r = (await validateChange({ before: engine, shadowRoot: shadow.dir, changedFiles: shadow.changed }))._unsafeUnwrap();
      const got = r.breakages.map((b) => ({ kind: b.kind as string, symbol: b.symbol, files: [...new Set(b.sites.map((s) => s.file))].sort() }));
      const sort = (xs: typeof got) => [...xs].sort((a, b) => `${a.kind}${a.symbol}`.localeCompare(`${b.kind}${b.symbol}`));
      expect(sort(got)).toEqual(sort(expected.breakages));
      expect(r.complete).toBe(true);
      for (const b of r.breakages) {
        expect(b.explanation).not.toContain('\n');
        for (const s of b.sites) expect(s.line).toBeGreaterThan(0);
      }
    } finally {
      shadow.dispose();
    }
  });
});
