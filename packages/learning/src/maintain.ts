import type { Logger } from '@yantra/shared';
import type { PatternRepository, StoredPattern } from './db/patterns.js';
import { cosine, type Embedder } from './embedder/port.js';

/** Options of `maintain`. */
export interface MaintenanceOptions {
  /** Patterns not seen for this many days are archived when rare. Default 180 (about 6 months). */
  readonly archiveAfterDays?: number;
  /** "Rare" means a frequency below this. Default 3. */
  readonly archiveBelowFrequency?: number;
  /** Patterns of the same model and category at least this similar are merged. Default 0.95. */
  readonly mergeThreshold?: number;
}

export interface MaintenanceReport {
  readonly archived: number;
  /** Pairs folded together: `{ kept, merged }` ids. */
  readonly merged: readonly { readonly kept: string; readonly merged: string }[];
  /** Patterns whose vectors were recomputed because the embedder changed. */
  readonly reembedded: number;
}

interface Deps {
  readonly repo: PatternRepository;
  readonly embedder: Embedder;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly reembed: (stale: readonly { id: string; description: string }[]) => Promise<number>;
}

const DAY = 86_400_000;

/**
 * Greedy near-duplicate merge within each (model, category): patterns are visited by descending
 * frequency, and each is folded into the first kept pattern it is at least `threshold` similar to.
 */
function findMerges(active: readonly StoredPattern[], threshold: number): { kept: string; merged: string }[] {
  const groups = new Map<string, StoredPattern[]>();
  for (const p of active) {
    const key = `${p.pattern.modelName}\u0000${p.pattern.category}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const merges: { kept: string; merged: string }[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => b.pattern.frequency - a.pattern.frequency || a.pattern.firstSeen - b.pattern.firstSeen);
    const kept: StoredPattern[] = [];
    for (const p of group) {
      const into = kept.find((k) => cosine(k.embedding, p.embedding) >= threshold);
      if (into) merges.push({ kept: into.pattern.id, merged: p.pattern.id });
      else kept.push(p);
    }
  }
  return merges;
}

/** Re-embeds, archives and merges, in that order, so that merging compares vectors of one embedder. */
export async function maintain(deps: Deps, options: MaintenanceOptions = {}): Promise<MaintenanceReport> {
  const archiveAfterDays = options.archiveAfterDays ?? 180;
  const archiveBelowFrequency = options.archiveBelowFrequency ?? 3;
  const threshold = options.mergeThreshold ?? 0.95;
  const reembedded = await deps.reembed(deps.repo.staleEmbeddings(deps.embedder.id));
  const archived = deps.repo.archiveStale(deps.clock() - archiveAfterDays * DAY, archiveBelowFrequency).length;
  const merged = findMerges(deps.repo.activeWithVectors(), threshold);
  for (const m of merged) deps.repo.merge(m.kept, m.merged);
  deps.logger.info('maintenance done', { archived, merged: merged.length, reembedded });
  return { archived, merged, reembedded };
}
