import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGraphEngine } from '../src/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'callgraph');

export interface CaseResult {
  readonly name: string;
  readonly expected: Record<string, string[]>;
  readonly actual: Record<string, string[]>;
  readonly tp: number;
  readonly fp: string[];
  readonly fn: string[];
}

export function listCases(): string[] {
  const out: string[] = [];
  for (const cat of readdirSync(FIXTURES).sort()) for (const c of readdirSync(path.join(FIXTURES, cat)).sort()) out.push(`${cat}/${c}`);
  return out;
}

function edgeSet(cg: Record<string, string[]>): Set<string> {
  const s = new Set<string>();
  for (const [k, vs] of Object.entries(cg)) for (const v of vs) s.add(`${k} -> ${v}`);
  return s;
}

export async function runCase(name: string): Promise<CaseResult> {
  const dir = path.join(FIXTURES, name);
  const expected = JSON.parse(readFileSync(path.join(dir, 'callgraph.json'), 'utf8')) as Record<string, string[]>;
  const engine = createGraphEngine({ root: dir, dbPath: false });
  const built = await engine.build();
  engine.close();
  if (built.isErr()) throw new Error(`${name}: ${built.error.message}`);
  const actual = engine.callGraph();
  const e = edgeSet(expected);
  const a = edgeSet(actual);
  return { name, expected, actual, tp: [...a].filter((x) => e.has(x)).length, fp: [...a].filter((x) => !e.has(x)), fn: [...e].filter((x) => !a.has(x)) };
}
