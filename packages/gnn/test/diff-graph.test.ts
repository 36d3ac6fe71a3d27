import { describe, expect, it } from 'vitest';
import { edgeKey, type GraphData } from '../src/graph/build-graph.js';
import { applyDelta, diffGraph, fillGraph, newCodeGraph, type CodeGraph } from '../src/graph/code-graph.js';
import { rng } from '../src/rng.js';
import type { Confidence, EdgeKind, GraphEdge, GraphNode } from '../src/types.js';

const KINDS: readonly EdgeKind[] = ['calls', 'uses', 'imports', 'data_flow'];

function node(id: string, line: number): GraphNode {
  return { id, kind: 'function', name: id, file: 'm.py', lineStart: line, lineEnd: line + 1 };
}

function data(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphData {
  return { nodes: new Map(nodes.map((n) => [n.id, n])), edges: new Map(edges.map((e) => [edgeKey(e.source, e.kind, e.target), e])) };
}

/** A random graph over ids n0..n11: each node present with probability 0.8, each possible edge with 0.15. */
function randomData(random: () => number): GraphData {
  const nodes: GraphNode[] = [];
  for (let i = 0; i < 12; i++) if (random() < 0.8) nodes.push(node(`n${i}`, random() < 0.8 ? i : i + 100));
  const edges: GraphEdge[] = [];
  for (const a of nodes)
    for (const b of nodes)
      for (const kind of KINDS) {
        if (random() >= 0.15) continue;
        const confidence: Confidence = random() < 0.7 ? 'certain' : 'possible';
        edges.push({ source: a.id, target: b.id, kind, confidence });
      }
  return data(nodes, edges);
}

function graphOf(d: GraphData): CodeGraph {
  const g = newCodeGraph();
  fillGraph(g, d.nodes.values(), d.edges);
  return g;
}

/** The graph as sorted JSON lines, every attribute included. */
function dump(g: CodeGraph): string[] {
  const out: string[] = [];
  g.forEachNode((id, n) => out.push(`N ${id} ${JSON.stringify(n)}`));
  g.forEachEdge((key, e) => out.push(`E ${key} ${JSON.stringify(e)}`));
  return out.sort();
}

describe('diffGraph', () => {
  it('turns any graph into any other: applying the delta gives the new graph exactly (300 random pairs)', () => {
    const random = rng(7);
    for (let k = 0; k < 300; k++) {
      const before = randomData(random);
      const after = randomData(random);
      const g = graphOf(before);
      applyDelta(g, diffGraph(g, after));
      expect(dump(g)).toEqual(dump(graphOf(after)));
    }
  });

  it('only added relations: nothing is removed', () => {
    const nodes = [node('a', 1), node('b', 3)];
    const e1: GraphEdge = { source: 'a', target: 'b', kind: 'calls', confidence: 'certain' };
    const e2: GraphEdge = { source: 'b', target: 'a', kind: 'uses', confidence: 'certain' };
    const g = graphOf(data(nodes, [e1]));
    const d = diffGraph(g, data([...nodes, node('ext', 0)], [e1, e2]));
    expect(d.removedNodes).toEqual([]);
    expect(d.removedEdges).toEqual([]);
    expect(d.upsertedNodes.map((n) => n.id)).toEqual(['ext']);
    expect(d.addedEdges).toEqual([e2]);
  });

  it('a changed confidence is one edge removed and one added; a vanished edge and node are removed', () => {
    const nodes = [node('a', 1), node('b', 3), node('c', 5)];
    const possible: GraphEdge = { source: 'a', target: 'b', kind: 'calls', confidence: 'possible' };
    const certain: GraphEdge = { ...possible, confidence: 'certain' };
    const gone: GraphEdge = { source: 'a', target: 'c', kind: 'uses', confidence: 'certain' };
    const g = graphOf(data(nodes, [possible, gone]));
    const d = diffGraph(g, data(nodes.slice(0, 2), [certain]));
    expect(d.removedNodes).toEqual(['c']);
    expect(d.removedEdges).toEqual(expect.arrayContaining([possible, gone]));
    expect(d.removedEdges).toHaveLength(2);
    expect(d.addedEdges).toEqual([certain]);
    expect(d.upsertedNodes).toEqual([]);
  });
});

describe('fillGraph', () => {
  it('takes edges with their keys at the same indexes (as the database reads them) and skips an edge whose node is missing', () => {
    const nodes = [node('a', 1), node('b', 3)];
    const ok: GraphEdge = { source: 'a', target: 'b', kind: 'calls', confidence: 'certain' };
    const dangling: GraphEdge = { source: 'a', target: 'gone', kind: 'uses', confidence: 'certain' };
    const g = newCodeGraph();
    fillGraph(g, nodes, [ok, dangling], [edgeKey(ok.source, ok.kind, ok.target), edgeKey(dangling.source, dangling.kind, dangling.target)]);
    expect(g.order).toBe(2);
    expect(g.size).toBe(1);
    expect(g.hasEdge(edgeKey('a', 'calls', 'b'))).toBe(true);
    // The same edges without keys give the same graph.
    const h = newCodeGraph();
    fillGraph(h, nodes, [ok, dangling]);
    expect(dump(h)).toEqual(dump(g));
  });
});
