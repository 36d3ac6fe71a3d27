import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphEngine, traverse, type GraphEngine } from '../src/index.js';
import type { CodeGraph } from '../src/graph/code-graph.js';
import type { EdgeKind } from '../src/types.js';
import { tempCopy } from './helpers.js';

const engines: GraphEngine[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  for (const c of cleanups.splice(0)) c();
});

/** The plain breadth-first walk the compact copy must agree with (ids and order). */
function reference(g: CodeGraph, start: string, direction: 'in' | 'out', depth: number, kinds: readonly EdgeKind[]): string[] {
  const seen = new Set<string>([start]);
  const out: string[] = [];
  let frontier = [start];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const id of frontier) {
      const edges = direction === 'in' ? g.inEdges(id) : g.outEdges(id);
      for (const e of edges) {
        const attrs = g.getEdgeAttributes(e);
        const other = direction === 'in' ? attrs.source : attrs.target;
        if (!kinds.includes(attrs.kind) || seen.has(other)) continue;
        seen.add(other);
        next.push(other);
        out.push(other);
      }
    }
    frontier = next;
  }
  return out;
}

const KIND_SETS: readonly (readonly EdgeKind[])[] = [['calls'], ['imports', 'calls', 'uses', 'inherits', 'decorates', 'data_flow'], ['contains', 'inherits'], ['uses', 'data_flow']];

function checkAll(e: GraphEngine): number {
  const g = e.graph;
  let checked = 0;
  g.forEachNode((id) => {
    for (const direction of ['in', 'out'] as const) {
      for (const depth of [1, 2, 3, 50]) {
        for (const kinds of KIND_SETS) {
          const want = reference(g, id, direction, depth, kinds);
          expect(traverse(g, [id], direction, { depth, kinds }), `${id} ${direction} ${depth} ${kinds.join(',')}`).toEqual(want);
          // The engine's queries return the nodes' current attributes, in the same order.
          const nodes = direction === 'in' ? e.dependents(id, { depth, kinds }) : e.dependencies(id, { depth, kinds });
          expect(nodes).toEqual(want.map((x) => g.getNodeAttributes(x)));
          checked++;
        }
      }
    }
  });
  return checked;
}

describe('transitive walks', () => {
  it('give the same ids in the same order with and without the compact adjacency, before and after an update', async () => {
    const t = tempCopy();
    cleanups.push(t.dispose);
    const e = createGraphEngine({ root: t.dir, dbPath: false });
    engines.push(e);
    (await e.build())._unsafeUnwrap();
    // Thousands of queries: the first few walk graphology, the rest the compact copy.
    expect(checkAll(e)).toBeGreaterThan(1000);
    appendFileSync(path.join(t.dir, 'shop', 'models.py'), '\n\ndef extra_caller():\n    return make_cart("x")\n');
    (await e.update(['shop/models.py']))._unsafeUnwrap();
    expect(e.node('shop.models.extra_caller')).toBeDefined();
    // The copy is rebuilt after the mutation, and sees the new caller.
    checkAll(e);
    expect(e.callers('shop.models.make_cart').map((n) => n.id)).toContain('shop.models.extra_caller');
    expect(traverse(e.graph, ['no.such.node'], 'in', { depth: 3 })).toEqual([]);
    // An edit that changes only attributes (a docstring): the copy must not serve stale nodes.
    const models = path.join(t.dir, 'shop', 'models.py');
    writeFileSync(models, readFileSync(models, 'utf8').replace('"""Add one item."""', '"""Add exactly one item."""'));
    expect((await e.update(['shop/models.py']))._unsafeUnwrap().reresolved).toBe(false);
    checkAll(e);
    expect(e.node('shop.models.Cart.add')?.docstring).toBe('Add exactly one item.');
  });
});
