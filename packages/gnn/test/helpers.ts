import { spawn } from 'node:child_process';
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

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs a test script of this folder (through vite-node) on `dir` in its own process group, waits
 * until it prints "built", lets it go on for `ms`, then kills the group with SIGKILL.
 */
export async function runThenKill(script: string, dir: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, [path.join(HERE, '..', '..', '..', 'node_modules', 'vite-node', 'vite-node.mjs'), path.join(HERE, script), dir], {
    cwd: path.join(HERE, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 150_000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('built')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`${script} exited early (${String(code)})`)));
    });
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => child.once('exit', r).once('error', r));
  }
}
