/**
 * The backend's ports wired to the real packages through `@yantra/codegen`'s services: the
 * pipeline runs the main job, mistakes come from the learning store, usage and breakers from the
 * orchestrator, project stats from the code graph.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices, resolveToolchain, type FinalOutcome, type Services, type ServicesOptions } from '@yantra/codegen';
import { projectStateDir, resolveUserDirs, settle, type Logger } from '@yantra/shared';
import type { MistakePattern, ProjectInfo, Provider, UsageReport } from '../protocol/messages.js';
import type { MistakesPort, Pipeline, ProjectPort, UsagePort } from './ports.js';

const PROVIDERS: readonly Provider[] = ['anthropic', 'openai', 'compatible', 'local'];

export interface CodegenPortsOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The project the app opened; usage, mistakes and stats are read there. */
  readonly dir: () => string;
  /** Where `.venv` lives. Default: the repository this app was built in. */
  readonly repoRoot?: string;
  /** Chroma for the learning store. Default `'embedded'`. */
  readonly chroma?: ServicesOptions['chroma'];
  readonly logger?: Logger;
}

export interface CodegenPorts {
  readonly pipeline: Pipeline;
  readonly mistakes: MistakesPort;
  readonly usage: UsagePort;
  readonly project: ProjectPort;
  close(): Promise<void>;
}

function defaultRepoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../../../..'), path.resolve(here, '../../..')].find((d) => existsSync(path.join(d, 'requirements-tools.txt'))) ?? process.cwd();
}

export function createCodegenPorts(options: CodegenPortsOptions): CodegenPorts {
  const userDirs = resolveUserDirs(options.env);
  const toolchain = resolveToolchain(options.env, options.repoRoot ?? defaultRepoRoot(), userDirs.cache);
  // One set of services per project folder, opened on first use and reused by every port.
  let current: { dir: string; services: Promise<Services> } | undefined;
  const servicesFor = async (dir: string, provider?: string): Promise<Services> => {
    if (provider === undefined && current?.dir === dir) return current.services;
    const open = (async () => {
      const r = await settle(
        createServices({
          projectRoot: dir,
          env: options.env,
          userDirs,
          toolchain,
          chroma: options.chroma ?? 'embedded',
          ...(options.logger ? { logger: options.logger } : {}),
          ...(provider && (PROVIDERS as readonly string[]).includes(provider) ? { provider: provider as Provider } : {}),
        }),
      );
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    })();
    if (provider === undefined) {
      const previous = current;
      current = { dir, services: open };
      if (previous) void previous.services.then((s) => s.close()).catch(() => undefined);
    }
    return open;
  };

  const pipeline: Pipeline = {
    async run(req, opts) {
      const services = await servicesFor(req.dir, req.provider);
      try {
        return await services.pipeline.run({ projectRoot: req.dir, request: req.request }, { onEvent: (e) => opts.onEvent(e), signal: opts.signal });
      } finally {
        // A one-off provider choice gets its own services; close them with the run.
        if (req.provider !== undefined) await services.close();
      }
    },
  };

  const toProtocol = (p: {
    id: string;
    category: string;
    description: string;
    badExample: string | null;
    goodExample: string | null;
    frequency: number;
    lastSeen: number;
    archived: boolean;
    similarity?: number;
  }): MistakePattern => ({
    id: p.id,
    category: p.category,
    description: p.description,
    ...(p.badExample ? { example: p.badExample } : {}),
    ...(p.goodExample ? { fix: p.goodExample } : {}),
    occurrences: p.frequency,
    lastSeen: new Date(p.lastSeen).toISOString(),
    archived: p.archived,
    ...(p.similarity === undefined ? {} : { score: p.similarity }),
  });

  const store = async () => {
    const services = await servicesFor(options.dir());
    const s = await settle(services.learningStore());
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };

  const mistakes: MistakesPort = {
    async list(query) {
      const s = await store();
      if (query.search?.trim()) {
        const found = await settle(s.retrieve(query.search, undefined, { k: 20, minSimilarity: 0.3 }));
        if (!found.ok) throw new Error(found.error.message);
        return found.value
          .map((r) => toProtocol({ ...r.pattern, similarity: r.similarity }))
          .filter((p) => !query.category || p.category === query.category);
      }
      const listed = await settle(
        s.list({ ...(query.category ? { category: query.category as never } : {}), ...(query.includeArchived ? { includeArchived: true } : {}) }),
      );
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.map((p) => toProtocol(p));
    },
    async archive(id) {
      const r = await settle((await store()).archive(id));
      if (!r.ok) throw new Error(r.error.message);
      return r.value.archived;
    },
    async clear() {
      const r = await settle((await store()).clear());
      if (!r.ok) throw new Error(r.error.message);
      return r.value.removed;
    },
    async exportJson() {
      const r = await settle((await store()).export());
      if (!r.ok) throw new Error(r.error.message);
      return JSON.stringify(r.value, null, 2);
    },
  };

  const usage: UsagePort = {
    async report(): Promise<UsageReport> {
      const services = await servicesFor(options.dir());
      const status = services.orchestrator.status();
      const totals = services.orchestrator.usage();
      const providers = status.chain.map((provider) => ({
        provider,
        breaker: status.breakers.find((b) => b.provider === provider)?.state ?? 'closed',
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      }));
      const project = totals.project ?? totals.session;
      return { providers, totalCostUsd: project.costUsd };
    },
  };

  const describe = async (dir: string): Promise<ProjectInfo> => {
    const initialized = existsSync(projectStateDir(dir));
    if (!initialized) return { dir, initialized, stats: null };
    const services = await servicesFor(dir);
    const graph = await settle(services.projectGraph());
    if (!graph.ok) return { dir, initialized, stats: null };
    const s = graph.value.stats();
    return {
      dir,
      initialized,
      stats: { files: s.files, functions: (s.nodeKinds['function'] ?? 0) + (s.nodeKinds['method'] ?? 0), classes: s.nodeKinds['class'] ?? 0, edges: s.edges },
    };
  };

  const project: ProjectPort = {
    describe,
    async init(dir) {
      await mkdir(projectStateDir(dir), { recursive: true });
      return describe(dir);
    },
  };

  return {
    pipeline,
    mistakes,
    usage,
    project,
    close: async () => {
      if (current) await (await current.services.catch(() => undefined))?.close();
    },
  };
}

export type { FinalOutcome };
