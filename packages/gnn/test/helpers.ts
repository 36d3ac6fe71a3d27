import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphEngine } from '../src/index.js';

export const PROJECT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'project');

/** A temporary copy of a fixture folder; removed by `dispose`. */
export function tempCopy(src: string = PROJECT): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-test-'));
  cpSync(src, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempDir(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gnn-test-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The whole graph as sorted JSON lines, for equality checks. */
export function snapshot(engine: GraphEngine): { nodes: string[]; edges: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  engine.graph.forEachNode((_id, n) => nodes.push(JSON.stringify(n)));
  engine.graph.forEachEdge((_k, e) => edges.push(`${e.source} ${e.kind} ${e.target} ${e.confidence}`));
  return { nodes: nodes.sort(), edges: edges.sort() };
}
