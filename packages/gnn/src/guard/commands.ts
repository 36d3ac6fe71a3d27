import path from 'node:path';
import { resolveUserDirs } from '@yantra/shared';
import { fail, ok, UsageError, type CommandContext, type CommandSpec } from '@yantra/shared/cli';
import { createGraphEngine } from '../engine.js';
import { runGuardBench } from './bench.js';
import { validateChange } from './validate.js';

function dirArg(ctx: CommandContext, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new UsageError('a project folder is required');
  return path.resolve(ctx.io.cwd, v);
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}

/** `validate` and `bench-guard`. */
export const guardCommands: readonly CommandSpec[] = [
  {
    name: 'validate <dir> [...files]',
    description: 'Check changed files against the stored graph; exit 1 when the change breaks existing code',
    options: [
      { flags: '--changed <file>', description: 'A changed, added or deleted file (the files after it count too)' },
      { flags: '--db <path>', description: 'SQLite file (default <dir>/.yantra/graph.db)' },
    ],
    run: async ([dir, rest], o, ctx) => {
      const root = dirArg(ctx, dir);
      const changed = [...strings(o['changed']), ...strings(rest)].map((f) => path.resolve(ctx.io.cwd, f));
      if (changed.length === 0) throw new UsageError('name the changed files with --changed <files…>');
      const dbPath = typeof o['db'] === 'string' ? path.resolve(ctx.io.cwd, o['db']) : undefined;
      const engine = createGraphEngine({ root, dbPath, logger: ctx.logger });
      try {
        // The stored graph is the "before": do not refresh it from the files as they are now.
        const r = await engine.open({ refresh: false }).andThen(() => validateChange({ before: engine, shadowRoot: root, changedFiles: changed }));
        return r.match(
          (v) => {
            const text = v.breakages.length === 0 ? `no breakage (${v.ms.toFixed(1)} ms)` : v.breakages.map((b) => `${b.kind} ${b.symbol}: ${b.explanation}\n${b.sites.map((s) => `  ${s.file}:${s.line} ${s.symbol}`).join('\n')}`).join('\n');
            return v.breakages.length === 0 ? ok(v, text) : fail('breaking_change', `${v.breakages.length} breakage(s):\n${text}`, v);
          },
          (e) => fail(e.kind, e.message),
        );
      } finally {
        engine.close();
      }
    },
  },
  {
    name: 'bench-guard',
    description: 'Mutate real projects (pip-downloaded wheels) and measure detection, false blocks and time per validation',
    options: [
      { flags: '--corpus <dir>', description: 'Where wheels are kept and unpacked (default ~/.cache/yantra/gnn-corpus)' },
      { flags: '--python <path>', description: 'Python with pip (default python3)' },
      { flags: '--per-kind <n>', description: 'Mutations per kind per project (default 25)' },
    ],
    run: async (_args, o, ctx) => {
      const perKind = o['perKind'] === undefined ? 25 : Number(o['perKind']);
      if (!Number.isInteger(perKind) || perKind < 1) throw new UsageError('--per-kind must be a positive integer');
      const corpusDir = typeof o['corpus'] === 'string' ? path.resolve(ctx.io.cwd, o['corpus']) : path.join(resolveUserDirs(process.env).cache, 'gnn-corpus');
      const r = await runGuardBench({ corpusDir, python: typeof o['python'] === 'string' ? o['python'] : 'python3', perKind, progress: (l, d, t) => ctx.progress(l, d, t) });
      return r.match(
        (b) => ok(b, JSON.stringify(b, null, 2)),
        (e) => fail(e.kind, e.message),
      );
    },
  },
];
