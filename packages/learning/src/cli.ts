import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describeUnknown, resolveUserDirs, writeFileAtomic } from '@yantra/shared';
import { fail, ok, processIO, runCli, UsageError, type CliIO, type CliSpec, type CommandContext, type CommandOutcome, type CommandSpec } from '@yantra/shared/cli';
import { runBench } from './bench.js';
import { createLocalEmbedder } from './embedder/minilm.js';
import type { LearningError } from './errors.js';
import { isCategory, type Category, type MistakePattern } from './pattern.js';
import { createLearningStore, type LearningStore, type LearningStoreOptions } from './store.js';

const STORE_OPTIONS = [
  { flags: '--project <dir>', description: 'Project root whose .yantra/ holds the store (default: the current directory)' },
  { flags: '--chroma <mode>', description: 'embedded (default), off, or the URL of a Chroma server (env YANTRA_CHROMA_URL)' },
  { flags: '--model-dir <dir>', description: 'MiniLM model folder (default: $XDG_CACHE_HOME/yantra/models/all-MiniLM-L6-v2)' },
] as const;

function modelDir(o: Record<string, unknown>, ctx: CommandContext): string {
  if (typeof o['modelDir'] === 'string') return path.resolve(ctx.io.cwd, o['modelDir']);
  return path.join(resolveUserDirs(ctx.io.env).cache, 'models', 'all-MiniLM-L6-v2');
}

function chromaOption(o: Record<string, unknown>, ctx: CommandContext): LearningStoreOptions['chroma'] {
  const v = typeof o['chroma'] === 'string' ? o['chroma'] : ctx.io.env['YANTRA_CHROMA_URL'];
  if (v === undefined || v === '' || v === 'embedded') return 'embedded';
  if (v === 'off') return 'off';
  if (/^https?:\/\//.test(v)) return { url: v };
  throw new UsageError(`--chroma must be embedded, off or an http(s) URL, not ${v}`);
}

/** A typed error as a CLI outcome: bad input is exit 2, everything else exit 1. */
function failure(e: LearningError): CommandOutcome {
  if (e.kind === 'invalid_input') return { exitCode: 2, error: { kind: e.kind, message: e.message } };
  return fail(e.kind, e.message, { retryable: e.retryable });
}

/** Opens the store for one command, runs it, and always closes the store (and its server). */
async function withStore(o: Record<string, unknown>, ctx: CommandContext, run: (store: LearningStore) => Promise<CommandOutcome>): Promise<CommandOutcome> {
  const projectRoot = path.resolve(ctx.io.cwd, typeof o['project'] === 'string' ? o['project'] : '.');
  const opened = await createLearningStore({
    projectRoot,
    modelDir: modelDir(o, ctx),
    chroma: chromaOption(o, ctx),
    logger: ctx.logger,
  });
  return opened.match(
    async (store) => {
      try {
        return await run(store);
      } finally {
        await store.close().match(
          () => undefined,
          (e) => ctx.logger.warn('closing the store failed', { kind: e.kind, message: e.message }),
        );
      }
    },
    async (e) => failure(e),
  );
}

async function readJson(file: string, ctx: CommandContext): Promise<unknown> {
  const full = path.resolve(ctx.io.cwd, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${full}: ${describeUnknown(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${full} is not valid JSON: ${describeUnknown(e)}`);
  }
}

function category(v: unknown): Category | undefined {
  if (v === undefined) return undefined;
  if (!isCategory(v)) throw new UsageError(`unknown category: ${String(v)}`);
  return v;
}

function positiveInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer`);
  return n;
}

const line = (p: MistakePattern) => `${p.id}  [${p.modelName}] ${p.category}/${p.severity} ×${p.frequency}  ${p.description}`;

const commands: readonly CommandSpec[] = [
  {
    name: 'record',
    description: 'Record mistakes from a JSON file (one MistakeInput object or an array of them)',
    options: [{ flags: '--json-file <file>', description: 'The JSON file to read' }, ...STORE_OPTIONS],
    run: async (_args, o, ctx) => {
      if (typeof o['jsonFile'] !== 'string') throw new UsageError('record needs --json-file <file>');
      const data = await readJson(o['jsonFile'], ctx);
      const inputs = Array.isArray(data) ? data : [data];
      return withStore(o, ctx, async (store) => {
        const results = [];
        for (const [i, input] of inputs.entries()) {
          const r = await store.record(input as never).match(
            (value) => ({ value }),
            (error) => ({ error }),
          );
          if ('error' in r) return failure({ ...r.error, message: `mistake ${i}: ${r.error.message}` });
          results.push(r.value);
          ctx.progress('record', i + 1, inputs.length);
        }
        const text = results.map((r) => (r.status === 'ignored' ? `ignored (${r.reason})` : `${r.status}: ${line(r.pattern)}`)).join('\n');
        return ok({ results }, text);
      });
    },
  },
  {
    name: 'query <text>',
    description: 'Retrieve the stored mistakes most similar to a request',
    options: [
      { flags: '--model <model>', description: 'Only patterns of this LLM' },
      { flags: '--k <k>', description: 'How many patterns (default 5)' },
      { flags: '--min-similarity <s>', description: 'Lowest cosine similarity (default 0.75)' },
      ...STORE_OPTIONS,
    ],
    run: async ([text], o, ctx) => {
      const k = positiveInt(o['k'], '--k', 5);
      const minSimilarity = o['minSimilarity'] === undefined ? 0.75 : Number(o['minSimilarity']);
      if (Number.isNaN(minSimilarity)) throw new UsageError('--min-similarity must be a number');
      return withStore(o, ctx, async (store) =>
        (await store.retrieve(String(text), typeof o['model'] === 'string' ? o['model'] : undefined, { k, minSimilarity })).match(
          (hits) => {
            const context = store.buildMistakeContext(hits);
            const patterns = hits.map((h) => ({ ...h.pattern, similarity: Number(h.similarity.toFixed(4)), score: Number(h.score.toFixed(4)) }));
            const human = hits.length === 0 ? 'no similar mistakes' : `${hits.map((h) => `${h.similarity.toFixed(3)}  ${line(h.pattern)}`).join('\n')}\n\n${context}`;
            return ok({ patterns, context }, human);
          },
          failure,
        ),
      );
    },
  },
  {
    name: 'list',
    description: 'List stored patterns, most frequent first',
    options: [
      { flags: '--category <category>', description: 'Only this category' },
      { flags: '--model <model>', description: 'Only this LLM' },
      { flags: '--all', description: 'Include archived patterns' },
      ...STORE_OPTIONS,
    ],
    run: async (_args, o, ctx) => {
      const cat = category(o['category']);
      return withStore(o, ctx, async (store) =>
        (
          await store.list({
            ...(cat ? { category: cat } : {}),
            ...(typeof o['model'] === 'string' ? { model: o['model'] } : {}),
            includeArchived: o['all'] === true,
          })
        ).match((patterns) => ok({ patterns }, patterns.length === 0 ? 'no patterns' : patterns.map(line).join('\n')), failure),
      );
    },
  },
  {
    name: 'export',
    description: 'Export all patterns as JSON (to --out, or as the JSON result)',
    options: [{ flags: '--out <file>', description: 'Write the export to this file (atomically)' }, ...STORE_OPTIONS],
    run: async (_args, o, ctx) =>
      withStore(o, ctx, async (store) =>
        (await store.export()).match(async (doc) => {
          if (typeof o['out'] !== 'string') return ok(doc, JSON.stringify(doc, null, 2));
          const out = path.resolve(ctx.io.cwd, o['out']);
          return (await writeFileAtomic(out, `${JSON.stringify(doc, null, 2)}\n`)).match(
            () => ok({ path: out, patterns: doc.patterns.length }, `exported ${doc.patterns.length} patterns to ${out}`),
            (e) => fail('io_failed', e.message),
          );
        }, async (e) => failure(e)),
      ),
  },
  {
    name: 'import <file>',
    description: 'Import patterns from an export file (re-embedded, secrets redacted again)',
    options: [...STORE_OPTIONS],
    run: async ([file], o, ctx) => {
      const data = await readJson(String(file), ctx);
      return withStore(o, ctx, async (store) =>
        (await store.import(data)).match((r) => ok(r, `imported ${r.imported}, merged ${r.merged}`), failure),
      );
    },
  },
  {
    name: 'clear',
    description: 'Delete patterns: all of them, or by --category and/or --model',
    options: [
      { flags: '--category <category>', description: 'Only this category' },
      { flags: '--model <model>', description: 'Only this LLM' },
      ...STORE_OPTIONS,
    ],
    run: async (_args, o, ctx) => {
      const cat = category(o['category']);
      return withStore(o, ctx, async (store) =>
        (await store.clear({ ...(cat ? { category: cat } : {}), ...(typeof o['model'] === 'string' ? { model: o['model'] } : {}) })).match(
          (r) => ok(r, `removed ${r.removed} patterns`),
          failure,
        ),
      );
    },
  },
  {
    name: 'maintain',
    description: 'Archive old rare patterns, merge near-duplicates, re-embed after an embedder change',
    options: [
      { flags: '--archive-after-days <days>', description: 'Age for archiving rare patterns (default 180)' },
      { flags: '--merge-threshold <s>', description: 'Similarity for merging (default 0.95)' },
      ...STORE_OPTIONS,
    ],
    run: async (_args, o, ctx) => {
      const archiveAfterDays = positiveInt(o['archiveAfterDays'], '--archive-after-days', 180);
      const mergeThreshold = o['mergeThreshold'] === undefined ? 0.95 : Number(o['mergeThreshold']);
      if (!(mergeThreshold > 0 && mergeThreshold <= 1)) throw new UsageError('--merge-threshold must be in (0, 1]');
      return withStore(o, ctx, async (store) =>
        (await store.maintain({ archiveAfterDays, mergeThreshold })).match(
          (r) => ok(r, `archived ${r.archived}, merged ${r.merged.length}, re-embedded ${r.reembedded}`),
          failure,
        ),
      );
    },
  },
  {
    name: 'settings',
    description: 'Show or change the project settings (.yantra/learning.json)',
    options: [
      { flags: '--enable', description: 'Learn and retrieve (default)' },
      { flags: '--disable', description: 'Opt out: record and retrieve nothing' },
      { flags: '--disabled-categories <list>', description: 'Comma-separated categories never learned, or "none"' },
      ...STORE_OPTIONS,
    ],
    run: async (_args, o, ctx) => {
      if (o['enable'] === true && o['disable'] === true) throw new UsageError('--enable and --disable exclude each other');
      const patch: { enabled?: boolean; disabledCategories?: Category[] } = {};
      if (o['enable'] === true) patch.enabled = true;
      if (o['disable'] === true) patch.enabled = false;
      if (o['disabledCategories'] !== undefined) {
        const list = String(o['disabledCategories']);
        patch.disabledCategories = (list === 'none' ? '' : list)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((c) => category(c) as Category);
      }
      return withStore({ ...o, chroma: 'off' }, ctx, async (store) => {
        if (Object.keys(patch).length === 0) return ok(store.settings());
        return (await store.updateSettings(patch)).match((s) => ok(s), failure);
      });
    },
  },
  {
    name: 'bench',
    description: 'Measure embed, record, retrieve (with --patterns stored) and storage per 100 patterns',
    options: [
      { flags: '--patterns <n>', description: 'Patterns stored before retrieval is measured (default 10000)' },
      { flags: '--samples <n>', description: 'Timed calls per measure; retrieval takes twice as many (default 100)' },
      { flags: '--chroma <mode>', description: 'embedded (default) or off' },
      { flags: '--model-dir <dir>', description: 'MiniLM model folder' },
    ],
    run: async (_args, o, ctx) => {
      const patterns = positiveInt(o['patterns'], '--patterns', 10_000);
      const samples = positiveInt(o['samples'], '--samples', 100);
      if (samples > patterns) throw new UsageError('--samples must not exceed --patterns');
      const chroma = chromaOption(o, ctx);
      const report = await runBench({ embedder: createLocalEmbedder({ modelDir: modelDir(o, ctx) }), chroma, patterns, samples, logger: ctx.logger, progress: ctx.progress });
      const text = [
        `machine: ${report.machine.cpus} cpus, Node ${report.machine.node}, ${report.machine.platform}; vectors: ${report.vectorIndex}; ${report.patterns} patterns`,
        `embed p50            ${report.embedP50Ms} ms   (target ≤ 20)`,
        `record p50           ${report.recordP50Ms} ms   (target ≤ 200)`,
        `retrieve p50 / p99   ${report.retrieveP50Ms} / ${report.retrieveP99Ms} ms   (target ≤ 100)`,
        `context p50          ${report.contextP50Ms} ms   (target ≤ 50)`,
        `storage / 100        ${(report.bytesPer100Patterns / 1024).toFixed(1)} KiB   (target ≤ 1024)`,
      ].join('\n');
      return ok(report, text);
    },
  },
];

/** Runs `yantra-learn` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-learn',
    version,
    description: 'A memory of verified LLM mistakes: SQLite store, Chroma vectors, local MiniLM embedder, retrieval.',
    commands,
  };
  return runCli(spec, argv, io);
}
