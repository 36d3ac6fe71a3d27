/**
 * Stand-alone implementations of the backend's ports, used in browser mode until the app is
 * wired to learning, gnn and llm-orchestrator, and in tests with recorded data.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { projectStateDir } from '@yantra/shared';
import type { MistakePattern, ProjectInfo, UsageReport } from '../protocol/messages.js';
import type { MistakesPort, ProjectPort, UsagePort } from './ports.js';

/** Mistake patterns held in memory, seeded from recorded data. Search ranks by shared words. */
export function createMemoryMistakes(seed: readonly MistakePattern[]): MistakesPort {
  let patterns = seed.map((p) => ({ ...p }));
  const words = (s: string) => new Set(s.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length > 1));
  return {
    async list(query) {
      let out: MistakePattern[] = patterns.filter((p) => (query.includeArchived ? true : !p.archived));
      if (query.category) out = out.filter((p) => p.category === query.category);
      const search = query.search?.trim();
      if (search) {
        const q = words(search);
        out = out
          .map((p) => {
            const w = words(`${p.category} ${p.description} ${p.example ?? ''} ${p.fix ?? ''}`);
            const shared = [...q].filter((x) => w.has(x)).length;
            return { ...p, score: q.size === 0 ? 0 : shared / q.size };
          })
          .filter((p) => (p.score ?? 0) > 0)
          .sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
      }
      return out;
    },
    async archive(id) {
      const p = patterns.find((x) => x.id === id);
      if (!p || p.archived) return false;
      patterns = patterns.map((x) => (x.id === id ? { ...x, archived: true } : x));
      return true;
    },
    async clear() {
      const n = patterns.length;
      patterns = [];
      return n;
    },
    async exportJson() {
      return JSON.stringify({ version: 1, patterns }, null, 2);
    },
  };
}

/** A usage report that never changes (no LLM layer wired). */
export function createStaticUsage(report: UsageReport = { providers: [], totalCostUsd: 0 }): UsagePort {
  return { report: async () => report };
}

const SKIP = new Set(['.git', '.venv', 'venv', 'node_modules', '__pycache__', '.yantra']);

/**
 * Describes a project from the file system alone: Python files and a rough count of top-level
 * functions and classes. The app swaps in the gnn graph's real figures when it is wired.
 */
export function createFsProjectPort(): ProjectPort {
  const describe = async (dir: string): Promise<ProjectInfo> => {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new Error(`${dir} is not a folder`);
    let initialized = false;
    try {
      initialized = (await fs.stat(projectStateDir(dir))).isDirectory();
    } catch {
      initialized = false;
    }
    let files = 0;
    let functions = 0;
    let classes = 0;
    const walk = async (d: string, depth: number): Promise<void> => {
      if (depth > 12 || files > 20_000) return;
      for (const entry of await fs.readdir(d, { withFileTypes: true })) {
        if (entry.isDirectory() && !SKIP.has(entry.name)) await walk(path.join(d, entry.name), depth + 1);
        else if (entry.isFile() && entry.name.endsWith('.py')) {
          files += 1;
          const text = await fs.readFile(path.join(d, entry.name), 'utf8');
          functions += (text.match(/^\s*(async\s+)?def\s/gm) ?? []).length;
          classes += (text.match(/^\s*class\s/gm) ?? []).length;
        }
      }
    };
    await walk(dir, 0);
    return { dir, initialized, stats: { files, functions, classes, edges: 0 } };
  };
  return {
    describe,
    async init(dir) {
      await fs.mkdir(projectStateDir(dir), { recursive: true });
      return describe(dir);
    },
  };
}
