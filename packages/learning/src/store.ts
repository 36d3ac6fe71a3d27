import os from 'node:os';
import path from 'node:path';
import { ResultAsync, errAsync } from 'neverthrow';
import { describeUnknown, projectStateDir, silentLogger, type Logger } from '@yantra/shared';
import { PatternRepository, type PatternFilter } from './db/patterns.js';
import { openLearningDb, type Db } from './db/open.js';
import { detectMistake } from './detect/detect.js';
import type { MistakeInput } from './detect/inputs.js';
import { validateMistakeInput } from './detect/validate.js';
import { createLocalEmbedder } from './embedder/minilm.js';
import type { Embedder } from './embedder/port.js';
import { learningError, type LearningError } from './errors.js';
import { maintain, type MaintenanceOptions, type MaintenanceReport } from './maintain.js';
import { isCategory, type Category, type MistakePattern } from './pattern.js';
import { buildMistakeContext, type MistakeContextOptions } from './retrieve/context.js';
import { rank, type RetrievedPattern, type RetrieveOptions } from './retrieve/rank.js';
import { composeRedact, type Redact } from './sanitize.js';
import { parseSettings, readSettings, writeSettings, type LearningSettings } from './settings.js';
import { exportPatterns, importPatterns, type LearningExport, type ImportReport } from './transfer.js';
import { openChromaIndex, type ChromaIndex } from './vectors/chroma-index.js';
import { createMemoryIndex } from './vectors/memory-index.js';
import type { VectorIndex } from './vectors/port.js';
import { patternItem, pushUnsynced, reconcile, restoreFromIndex } from './vectors/sync.js';

/** Options of {@link createLearningStore}. */
export interface LearningStoreOptions {
  /** The project whose `.yantra/` holds `learning.db`, `chroma/` and `learning.json`. */
  readonly projectRoot: string;
  /** Secret redaction (the security package's). The built-in {@link defaultRedact} always runs after it. */
  readonly redact?: (text: string) => string;
  /** Default: the local MiniLM embedder over `modelDir`. */
  readonly embedder?: Embedder;
  /** Model folder for the default embedder. Default `~/.cache/yantra/models/all-MiniLM-L6-v2`. */
  readonly modelDir?: string;
  /**
   * Vector store. `'embedded'` (default) starts the bundled Chroma server over `.yantra/chroma`;
   * `{ url }` connects to a running Chroma; `'off'` keeps vectors in process (exact search).
   */
  readonly chroma?: { readonly url?: string } | 'embedded' | 'off';
  readonly logger?: Logger;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
}

/** What `record` did. */
export type RecordResult =
  | { readonly status: 'recorded' | 'incremented'; readonly pattern: MistakePattern; readonly vectorSynced: boolean }
  | { readonly status: 'ignored'; readonly reason: 'opted_out' | 'category_disabled' | 'not_a_correction' | 'below_severity_threshold' };

/** Which vector index is serving and how the store is doing. */
export interface LearningStatus {
  readonly vectorIndex: 'chroma' | 'memory';
  readonly chromaUrl: string | null;
  readonly patterns: number;
  readonly recoveries: number;
  readonly embedderId: string;
  /** Set when a corrupt `learning.db` was moved aside at open. */
  readonly quarantinedDb: string | null;
  /** Process id of the embedded Chroma server, when one runs. */
  readonly chromaPid: number | null;
}

/** The mistake memory of one project. */
export interface LearningStore {
  /** Detects, sanitizes, embeds and stores a mistake; a repeat raises the pattern's frequency. */
  record(input: MistakeInput): ResultAsync<RecordResult, LearningError>;
  /** Links a pattern to the fix that worked; the fix becomes the pattern's good example. */
  recordFix(patternId: string, fix: { readonly fixedCode: string; readonly description?: string }): ResultAsync<{ fixId: number }, LearningError>;
  /** The top patterns for this request and model (`undefined`: any model), best first. */
  retrieve(request: string, model: string | undefined, options?: RetrieveOptions): ResultAsync<RetrievedPattern[], LearningError>;
  /** Renders patterns as a compact "avoid these mistakes" prompt block within a token cap. */
  buildMistakeContext(patterns: readonly (MistakePattern | RetrievedPattern)[], options?: MistakeContextOptions): string;
  list(filter?: { readonly category?: Category; readonly model?: string; readonly includeArchived?: boolean; readonly limit?: number }): ResultAsync<MistakePattern[], LearningError>;
  /** Archives one pattern by hand: it stays listed with `includeArchived` but is no longer retrieved. */
  archive(id: string): ResultAsync<{ archived: boolean }, LearningError>;
  /** Deletes everything, or only a category and/or a model. */
  clear(filter?: { readonly category?: Category; readonly model?: string }): ResultAsync<{ removed: number }, LearningError>;
  export(): ResultAsync<LearningExport, LearningError>;
  import(data: unknown): ResultAsync<ImportReport, LearningError>;
  /** Archives stale rare patterns, merges near-duplicates, re-embeds vectors of another embedder. */
  maintain(options?: MaintenanceOptions): ResultAsync<MaintenanceReport, LearningError>;
  settings(): LearningSettings;
  /** Opt out (`enabled: false`) or disable categories; saved to `.yantra/learning.json`. */
  updateSettings(patch: Partial<LearningSettings>): ResultAsync<LearningSettings, LearningError>;
  status(): LearningStatus;
  /** Stops the embedded Chroma server and closes the database. */
  close(): ResultAsync<void, LearningError>;
}

const isLearningError = (e: unknown): e is LearningError =>
  typeof e === 'object' && e !== null && 'kind' in e && 'message' in e && 'retryable' in e;

/** Runs `work` at the boundary: thrown LearningErrors pass through, anything else becomes `fallback`. */
function boundary<T>(work: () => Promise<T>, fallback: LearningError['kind'], context: string): ResultAsync<T, LearningError> {
  return ResultAsync.fromPromise(
    (async () => work())(),
    (e) => (isLearningError(e) ? e : learningError(fallback, `${context}: ${describeUnknown(e)}`)),
  );
}

const throwIt = (e: LearningError): never => {
  throw e;
};

/**
 * Opens the learning store of a project: migrates `.yantra/learning.db`, loads the settings,
 * warms the embedder, starts or connects to Chroma and re-syncs its vectors from SQLite.
 */
export function createLearningStore(options: LearningStoreOptions): ResultAsync<LearningStore, LearningError> {
  if (typeof options.projectRoot !== 'string' || options.projectRoot === '') {
    return errAsync(learningError('invalid_input', 'projectRoot is required'));
  }
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const stateDir = projectStateDir(path.resolve(options.projectRoot));
  const settingsFile = path.join(stateDir, 'learning.json');
  const redact: Redact = composeRedact(options.redact);
  const embedder =
    options.embedder ?? createLocalEmbedder({ modelDir: options.modelDir ?? path.join(os.homedir(), '.cache', 'yantra', 'models', 'all-MiniLM-L6-v2') });
  const chromaOption = options.chroma ?? 'embedded';

  return readSettings(settingsFile).andThen((initialSettings) =>
    boundary(
      async () => {
        // Warm the model first: a missing model is the likeliest failure and the cheapest to report.
        await embedder.embed(['warm up']).match(() => undefined, throwIt);
        let db: Db;
        let quarantined: string | undefined;
        try {
          const opened = openLearningDb(path.join(stateDir, 'learning.db'), logger, clock);
          db = opened.db;
          quarantined = opened.quarantined;
        } catch (e) {
          throw learningError('storage_failed', `cannot open ${path.join(stateDir, 'learning.db')}: ${describeUnknown(e)}`);
        }
        const repo = new PatternRepository(db);
        let index: VectorIndex | undefined;
        try {
          const stale = repo.staleEmbeddings(embedder.id);
          if (stale.length > 0) {
            logger.info('re-embedding patterns stored by another embedder', { count: stale.length, embedder: embedder.id });
            await reembed(repo, embedder, stale);
          }
          if (chromaOption === 'off') {
            index = createMemoryIndex();
          } else {
            const url = typeof chromaOption === 'object' ? chromaOption.url : undefined;
            index = await openChromaIndex({
              target: url ? { kind: 'remote', url } : { kind: 'embedded', dataDir: path.join(stateDir, 'chroma') },
              embedderId: embedder.id,
              logger,
              onRecovered: async (_reason, raw) => {
                await reconcile(repo, raw);
              },
            }).catch((e: unknown) => {
              throw learningError('vector_store_unavailable', `cannot start or reach Chroma: ${describeUnknown(e)}`);
            });
          }
          if (quarantined) {
            const restored = await restoreFromIndex(repo, index, embedder.id);
            logger.warn('restored patterns from the vector store after learning.db was found corrupt', { restored });
          }
          await reconcile(repo, index);
          return openStore({ db, repo, index: index as VectorIndex, embedder, redact, logger, clock, settingsFile, settings: initialSettings, projectRoot: path.resolve(options.projectRoot), quarantined });
        } catch (e) {
          // Nothing half-open is left behind: the server stops, the database closes.
          await index?.close().catch(() => undefined);
          db.close();
          throw e;
        }
      },
      'storage_failed',
      'cannot open the learning store',
    ),
  );
}

async function reembed(repo: PatternRepository, embedder: Embedder, stale: readonly { id: string; description: string }[]): Promise<number> {
  for (let i = 0; i < stale.length; i += 32) {
    const batch = stale.slice(i, i + 32);
    const vectors = await embedder.embed(batch.map((s) => s.description)).match((v) => v, throwIt);
    repo.setEmbeddings(
      batch.map((s, j) => ({ id: s.id, embedding: vectors[j] as Float32Array })),
      embedder.id,
    );
  }
  return stale.length;
}

interface Parts {
  readonly db: Db;
  readonly repo: PatternRepository;
  readonly index: VectorIndex;
  readonly embedder: Embedder;
  readonly redact: Redact;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly settingsFile: string;
  readonly settings: LearningSettings;
  readonly projectRoot: string;
  readonly quarantined: string | undefined;
}

function openStore(parts: Parts): LearningStore {
  const { db, repo, index, embedder, redact, logger, clock, projectRoot } = parts;
  let settings = parts.settings;
  let closed = false;

  const guard = <T>(work: () => Promise<T>, fallback: LearningError['kind'], context: string): ResultAsync<T, LearningError> =>
    closed ? errAsync(learningError('closed', 'the learning store is closed')) : boundary(work, fallback, context);

  /** Pushes pending vectors; on failure the rows stay unsynced in SQLite and are re-sent later. */
  const syncVectors = async (): Promise<boolean> => {
    try {
      await pushUnsynced(repo, index);
      return true;
    } catch (e) {
      logger.warn('vector index unavailable; the pattern is kept in SQLite and synced later', { cause: describeUnknown(e) });
      return false;
    }
  };

  /** Nearest patterns: from the index, or by exact scan over SQLite when the index is down. */
  const nearest = async (vector: Float32Array, k: number, model: string | undefined) => {
    const where = model ? { model_name: model } : undefined;
    try {
      return await index.query('llm_mistakes', vector, k, where);
    } catch (e) {
      logger.warn('vector index unavailable; scanning SQLite instead', { cause: describeUnknown(e) });
      const scan = createMemoryIndex();
      await scan.upsert('llm_mistakes', repo.activeWithVectors().map(patternItem));
      return scan.query('llm_mistakes', vector, k, where);
    }
  };

  const toPatterns = (items: readonly (MistakePattern | RetrievedPattern)[]): MistakePattern[] =>
    items.map((p) => ('pattern' in p ? p.pattern : p));

  return {
    record(input) {
      return guard(
        async () => {
          const checked = validateMistakeInput(input);
          if (!checked.ok) throw learningError('invalid_input', checked.reason);
          if (!settings.enabled) return { status: 'ignored', reason: 'opted_out' } as const;
          const mistake = detectMistake(checked.input, redact);
          if (typeof mistake === 'string') return { status: 'ignored', reason: mistake } as const;
          if (settings.disabledCategories.includes(mistake.category)) return { status: 'ignored', reason: 'category_disabled' } as const;
          const [vector] = await embedder.embed([mistake.description]).match((v) => v, throwIt);
          let result: ReturnType<PatternRepository['record']>;
          try {
            result = repo.record({
              mistake,
              model: checked.input.model,
              embedding: vector as Float32Array,
              embedderId: embedder.id,
              timestamp: checked.input.timestamp ?? clock(),
              projectPath: checked.input.projectPath ?? projectRoot,
              // Already redacted and cut to the relevant lines: never the whole file.
              generatedCode: mistake.badExample,
            });
          } catch (e) {
            throw learningError('storage_failed', `cannot store the pattern: ${describeUnknown(e)}`);
          }
          const vectorSynced = await syncVectors();
          return { status: result.created ? 'recorded' : 'incremented', pattern: result.pattern, vectorSynced } as const;
        },
        'storage_failed',
        'cannot record the mistake',
      );
    },

    recordFix(patternId, fix) {
      return guard(
        async () => {
          if (typeof fix?.fixedCode !== 'string' || fix.fixedCode.trim() === '') throw learningError('invalid_input', 'fixedCode is required');
          const fixedCode = redact(fix.fixedCode.split('\n').slice(0, 40).join('\n').slice(0, 2000));
          const description = redact(fix.description ?? `Fix for ${patternId}`);
          const [vector] = await embedder.embed([`${description}\n${fixedCode}`]).match((v) => v, throwIt);
          const fixId = repo.recordFix(patternId, { description, fixedCode, embedding: vector as Float32Array, embedderId: embedder.id, timestamp: clock() });
          if (fixId === null) throw learningError('invalid_input', `no pattern ${patternId}`);
          await syncVectors();
          return { fixId };
        },
        'storage_failed',
        'cannot record the fix',
      );
    },

    retrieve(request, model, opts = {}) {
      const k = opts.k ?? 5;
      const minSimilarity = opts.minSimilarity ?? 0.75;
      if (typeof request !== 'string' || request.trim() === '') return errAsync(learningError('invalid_input', 'the request must be a non-empty string'));
      if (!Number.isInteger(k) || k < 1 || k > 100) return errAsync(learningError('invalid_input', 'k must be an integer from 1 to 100'));
      if (!(minSimilarity >= -1 && minSimilarity <= 1)) return errAsync(learningError('invalid_input', 'minSimilarity must be between -1 and 1'));
      return guard(
        async () => {
          if (!settings.enabled) return [];
          const [vector] = await embedder.embed([request]).match((v) => v, throwIt);
          // Over-fetch: archived or disabled patterns and the re-ranking need room.
          const hits = (await nearest(vector as Float32Array, Math.min(100, Math.max(k * 4, 20)), model)).filter((h) => h.similarity >= minSimilarity);
          const rows = repo.byIds(hits.map((h) => h.id));
          const candidates = hits.flatMap((h) => {
            const pattern = rows.get(h.id);
            if (!pattern || pattern.archived || settings.disabledCategories.includes(pattern.category)) return [];
            return [{ pattern, similarity: h.similarity }];
          });
          return rank(candidates, clock(), k);
        },
        'storage_failed',
        'cannot retrieve patterns',
      );
    },

    buildMistakeContext(patterns, opts) {
      return buildMistakeContext(toPatterns(patterns), opts);
    },

    list(filter = {}) {
      return guard(
        async () => {
          if (filter.category !== undefined && !isCategory(filter.category)) throw learningError('invalid_input', `unknown category: ${String(filter.category)}`);
          return repo.list(filter as PatternFilter);
        },
        'storage_failed',
        'cannot list patterns',
      );
    },

    archive(id) {
      return guard(async () => ({ archived: repo.archive(id) }), 'storage_failed', 'cannot archive the pattern');
    },
    clear(filter = {}) {
      return guard(
        async () => {
          if (filter.category !== undefined && !isCategory(filter.category)) throw learningError('invalid_input', `unknown category: ${String(filter.category)}`);
          const ids = repo.delete(filter);
          try {
            if (!filter.category && !filter.model) await index.reset();
            else await index.delete('llm_mistakes', ids);
          } catch (e) {
            // SQLite has already dropped them; the next reconcile removes the stale vectors.
            logger.warn('could not remove vectors now; they are removed at the next sync', { cause: describeUnknown(e) });
          }
          return { removed: ids.length };
        },
        'storage_failed',
        'cannot clear patterns',
      );
    },

    export() {
      return guard(async () => exportPatterns(repo, embedder.id, clock()), 'storage_failed', 'cannot export patterns');
    },

    import(data) {
      return guard(
        async () => {
          const report = await importPatterns(repo, embedder, redact, data);
          await syncVectors();
          return report;
        },
        'storage_failed',
        'cannot import patterns',
      );
    },

    maintain(opts = {}) {
      return guard(
        async () => {
          const report = await maintain({ repo, embedder, clock, logger, reembed: (stale) => reembed(repo, embedder, stale) }, opts);
          try {
            await reconcile(repo, index);
          } catch (e) {
            logger.warn('vector index unavailable during maintenance; it is re-synced at the next open', { cause: describeUnknown(e) });
          }
          return report;
        },
        'storage_failed',
        'maintenance failed',
      );
    },

    settings: () => settings,

    updateSettings(patch) {
      const next = parseSettings(patch, settings);
      if (typeof next === 'string') return errAsync(learningError('invalid_input', next));
      return writeSettings(parts.settingsFile, next).map(() => {
        settings = next;
        return next;
      });
    },

    status: () => ({
      vectorIndex: index.kind,
      chromaUrl: index.kind === 'chroma' ? (index as ChromaIndex).url() : null,
      patterns: repo.countActive(),
      recoveries: index.kind === 'chroma' ? (index as ChromaIndex).recoveries() : 0,
      embedderId: embedder.id,
      quarantinedDb: parts.quarantined ?? null,
      chromaPid: index.kind === 'chroma' ? ((index as ChromaIndex).serverPid() ?? null) : null,
    }),

    close() {
      if (closed) return ResultAsync.fromSafePromise(Promise.resolve());
      closed = true;
      return ResultAsync.fromPromise(
        (async () => {
          try {
            await index.close();
          } finally {
            db.close();
          }
        })(),
        (e) => learningError('storage_failed', `closing the learning store failed: ${describeUnknown(e)}`),
      );
    },
  };
}
