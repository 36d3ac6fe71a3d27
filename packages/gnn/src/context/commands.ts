import path from 'node:path';
import { fail, ok, UsageError, type CommandContext, type CommandSpec } from '@yantra/shared/cli';
import { createGraphEngine } from '../engine.js';
import { resolveUserDirs } from '@yantra/shared';
import { runContextBench } from './bench.js';
import { rankContext, renderContext } from './rank.js';

function dirArg(ctx: CommandContext, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new UsageError('a project folder is required');
  return path.resolve(ctx.io.cwd, v);
}

/** Words of a request that look like code: dotted names, snake_case, CamelCase, calls, file paths. */
export function codeMentions(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.matchAll(/[A-Za-z_][A-Za-z0-9_./]*(\(\))?/g)) {
    const w = m[0].replace(/\(\)$/, '').replace(/[./]+$/, '');
    if (w.includes('_') || w.includes('.') || w.includes('/') || /[a-z][A-Z]/.test(w) || /^[A-Z][a-z]+[A-Z]/.test(w) || m[1]) out.add(w);
  }
  return [...out];
}

/** `context`. */
export const contextCommands: readonly CommandSpec[] = [
  {
    name: 'context <dir>',
    description: 'Rank the symbols a request needs (personalized PageRank) and print them fitted to a token budget',
    options: [
      { flags: '--query <text>', description: 'The request text' },
      { flags: '--mention <name>', description: 'An extra mentioned symbol or file (repeatable)' },
      { flags: '--budget <n>', description: 'Token budget (default 4000)' },
      { flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' },
    ],
    run: async ([dir], o, ctx) => {
      const root = dirArg(ctx, dir);
      const query = typeof o['query'] === 'string' ? o['query'] : '';
      if (!query) throw new UsageError('--query "<text>" is required');
      const budget = o['budget'] === undefined ? 4000 : Number(o['budget']);
      if (!Number.isInteger(budget) || budget < 1) throw new UsageError('--budget must be a positive integer');
      const extra = Array.isArray(o['mention']) ? o['mention'].map(String) : typeof o['mention'] === 'string' ? [o['mention']] : [];
      const engine = createGraphEngine({ root, dbPath: typeof o['db'] === 'string' ? path.resolve(ctx.io.cwd, o['db']) : undefined, logger: ctx.logger });
      try {
        return (await engine.open({ onProgress: (d, t) => ctx.progress('parsing', d, t) })).match(
          () => {
            const ranked = rankContext({ engine, mentions: [...codeMentions(query), ...extra], request: query, budgetTokens: budget });
            return ok(ranked, renderContext(ranked) || 'nothing matched the request');
          },
          (e) => fail(e.kind, e.message),
        );
      } finally {
        engine.close();
      }
    },
  },
  {
    name: 'bench-context',
    description: 'Recall@budget of graph-ranked context on real functions (docstring as request, function hidden) next to a name-matching baseline',
    options: [
      { flags: '--corpus <dir>', description: 'Where wheels are kept and unpacked (default ~/.cache/yantra/gnn-corpus)' },
      { flags: '--python <path>', description: 'Python with pip (default python3)' },
      { flags: '--per-project <n>', description: 'Functions per project (default 15)' },
      { flags: '--budget <n>', description: 'Token budget (default 4000)' },
    ],
    run: async (_args, o, ctx) => {
      const perProject = o['perProject'] === undefined ? 15 : Number(o['perProject']);
      const budget = o['budget'] === undefined ? 4000 : Number(o['budget']);
      if (!Number.isInteger(perProject) || perProject < 1 || !Number.isInteger(budget) || budget < 1) throw new UsageError('--per-project and --budget must be positive integers');
      const corpusDir = typeof o['corpus'] === 'string' ? path.resolve(ctx.io.cwd, o['corpus']) : path.join(resolveUserDirs(process.env).cache, 'gnn-corpus');
      const r = await runContextBench({ corpusDir, python: typeof o['python'] === 'string' ? o['python'] : 'python3', perProject, budgetTokens: budget, progress: (l, d, t) => ctx.progress(l, d, t) });
      return r.match(
        (b) => ok(b, JSON.stringify(b, null, 2)),
        (e) => fail(e.kind, e.message),
      );
    },
  },
];
