import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResultAsync } from 'neverthrow';
import type { GraphEngine, GraphNode } from '@yantra/gnn';
import type { ContextPort, PortError } from '../pipeline/ports.js';

const WORD = /[a-z][a-z0-9]+/g;
const SHOWN = new Set(['function', 'method', 'class', 'variable']);

function words(text: string): Set<string> {
  return new Set((text.toLowerCase().replace(/_/g, ' ').match(WORD) ?? []).filter((w) => w.length > 2));
}

/** Rough token count (characters / 4), the estimate used for budgeting. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function sourceOf(root: string, node: GraphNode, cache: Map<string, string[]>): string {
  let lines = cache.get(node.file);
  if (!lines) {
    try {
      lines = readFileSync(path.join(root, node.file), 'utf8').split('\n');
    } catch {
      lines = [];
    }
    cache.set(node.file, lines);
  }
  return lines.slice(node.lineStart - 1, node.lineEnd).join('\n');
}

function signatureOf(root: string, node: GraphNode, cache: Map<string, string[]>): string {
  const src = sourceOf(root, node, cache).split('\n');
  const head = src.findIndex((l) => /\)\s*(->.*)?:\s*$|^\s*class\b.*:\s*$/.test(l));
  const sig = src.slice(0, head >= 0 ? head + 1 : 1).join('\n');
  const doc = node.docstring ? `\n    """${node.docstring.split('\n')[0]}"""` : '';
  return `${sig}${doc}`;
}

/**
 * Ranks project symbols for a request over the code graph: mentioned symbols and files first,
 * then their direct neighbours (callers, callees, bases), then word overlap with names and
 * docstrings. The top symbols are shown in full, the rest as signatures, within the budget.
 */
export function rankGraphContext(graph: GraphEngine, root: string, request: string, mentions: readonly string[], files: readonly string[], budgetTokens: number): string {
  const nodes = graph.find({ prefix: '', limit: Number.MAX_SAFE_INTEGER }).filter((n) => n.file !== '' && SHOWN.has(n.kind) && !/(^|\/)tests?\//.test(n.file));
  const score = new Map<string, number>();
  const add = (id: string, s: number) => score.set(id, (score.get(id) ?? 0) + s);
  const req = words(request);
  for (const n of nodes) {
    if (mentions.some((m) => n.id === m || n.id.endsWith(`.${m}`) || n.name === m)) {
      add(n.id, 10);
      for (const nb of [...graph.callers(n.id), ...graph.callees(n.id), ...graph.dependencies(n.id, { depth: 1, kinds: ['inherits'] })]) add(nb.id, 4);
    }
    if (files.includes(n.file)) add(n.id, 6);
    const overlap = [...words(`${n.name} ${n.docstring ?? ''}`)].filter((w) => req.has(w)).length;
    if (overlap > 0) add(n.id, overlap * 2);
  }
  // Classes stand for their methods when nothing is mentioned, so a small budget still shows the model.
  for (const n of nodes) if (n.kind === 'class') add(n.id, 1);
  const ranked = nodes.filter((n) => (score.get(n.id) ?? 0) > 0).sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0));
  const cache = new Map<string, string[]>();
  const parts: string[] = [];
  const shown = new Set<string>();
  let used = 0;
  const modules = [...new Set(nodes.map((n) => n.file))].sort();
  const header = `Files: ${modules.join(', ')}\n`;
  used += estimateTokens(header);
  parts.push(header);
  for (const [i, n] of ranked.entries()) {
    // A method inside a class already shown in full adds nothing.
    if ([...shown].some((s) => n.id.startsWith(`${s}.`))) continue;
    const full = i < 5;
    const body = full ? sourceOf(root, n, cache) : signatureOf(root, n, cache);
    const block = `## ${n.file}:${n.lineStart} ${n.id}\n${body}\n`;
    const cost = estimateTokens(block);
    if (used + cost > budgetTokens) continue;
    used += cost;
    parts.push(block);
    if (full) shown.add(n.id);
  }
  return parts.join('\n');
}

export function graphContextPort(projectGraph: () => ResultAsync<GraphEngine, PortError>): ContextPort {
  return {
    context: ({ projectRoot, request, intent, budgetTokens }) =>
      projectGraph().map((g) => rankGraphContext(g, projectRoot, request, intent.mentionedSymbols, intent.mentionedFiles, budgetTokens)),
  };
}
