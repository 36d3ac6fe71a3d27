import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileIR } from '../src/parse/ir.js';
import { readFileRecord } from '../src/parse/file-record.js';
import { loadPythonParser } from '../src/parse/parser.js';
import { listPythonFiles } from '../src/project/files.js';
import { analyze, type Analysis } from '../src/resolve/analysis.js';
import { FIXTURES, listCases } from './callgraph-fixtures.js';

async function irsOf(root: string): Promise<FileIR[]> {
  const pp = await loadPythonParser();
  const listed = await listPythonFiles(root);
  const byRel = new Map<string, FileIR>();
  for (const f of listed.files) {
    const r = readFileRecord(pp, f.rel, f.abs);
    if (r !== 'missing' && r.ir) byRel.set(f.rel, r.ir);
  }
  return [...byRel.keys()].sort().map((k) => byRel.get(k) as FileIR);
}

/** Every relation in insertion order, so a difference in order shows too. */
function flat(a: Analysis): unknown {
  const entries = (m: Map<string, Iterable<unknown> | Map<string, unknown>>) => [...m].map(([k, v]) => [k, [...v]]);
  return { calls: entries(a.calls), uses: entries(a.uses), imports: entries(a.imports), inherits: entries(a.inherits), decorates: entries(a.decorates), dataFlow: entries(a.dataFlow) };
}

describe('recording from the solver logs', () => {
  it('records exactly what a separate recording pass records, on every call-graph fixture', async () => {
    let relations = 0;
    // Each case alone, then all fixtures as one project (more cross-file flows).
    for (const name of [...listCases(), '..']) {
      const irs = await irsOf(path.join(FIXTURES, name));
      const replayed = analyze(irs);
      const recorded = analyze(irs, { separateRecording: true });
      expect(flat(replayed), name).toEqual(flat(recorded));
      for (const m of replayed.calls.values()) relations += m.size;
    }
    // The fixtures do resolve calls: the comparison is not between two empty results.
    expect(relations).toBeGreaterThan(400);
  });
});
