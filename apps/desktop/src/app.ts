import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveUserDirs, silentLogger, type Logger } from '@yantra/shared';
import type { ResultAsync } from 'neverthrow';
import type { MistakePattern } from './protocol/messages.js';
import { createBackend, type Backend } from './backend/backend.js';
import { createFsProjectPort, createMemoryMistakes, createStaticUsage } from './backend/local-ports.js';
import { failedOutcome } from './backend/runs.js';
import type { MistakesPort, Pipeline, ProjectPort, UsagePort } from './backend/ports.js';
import { startUiServer, type ServerError, type UiServer } from './backend/server.js';
import { createSettingsStore } from './backend/settings-store.js';

/** Where the built renderer lives next to the built node code (`dist/renderer`). */
export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From src/ (tests, source condition) and from dist/ alike, the renderer is built into dist/renderer.
  return path.resolve(here, '..', 'dist', 'renderer');
}

/**
 * The pipeline used until the app is wired to `@yantra/codegen`'s runner: it answers every
 * request with a failed outcome that says so, instead of pretending to work.
 */
export function createUnwiredPipeline(clock: () => number = Date.now): Pipeline {
  return {
    async run(request, { onEvent }) {
      const runId = `run-${clock().toString(36)}`;
      onEvent({ type: 'run_started', runId, request: request.request, at: clock() });
      const outcome = failedOutcome(runId, 'no pipeline is wired into this app build (start it with --replay DIR for recorded runs)');
      onEvent({ type: 'final', runId, outcome });
      return outcome;
    },
  };
}

export interface UiAppOptions {
  /** The project folder. */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly pipeline?: Pipeline;
  readonly mistakes?: MistakesPort;
  readonly usage?: UsagePort;
  readonly project?: ProjectPort;
  readonly seedMistakes?: readonly MistakePattern[];
  readonly port?: number;
  readonly rendererDir?: string;
  readonly version?: string;
  readonly logger?: Logger;
}

export interface UiApp {
  readonly server: UiServer;
  readonly backend: Backend;
  close(): Promise<void>;
}

/**
 * Composes the backend from its ports and serves it in browser mode. Missing ports fall back to
 * the local ones (file-system project stats, in-memory mistakes, no usage). Settings go to
 * `$XDG_CONFIG_HOME/yantra/llm_config.json` from `env`.
 */
export function startUiApp(options: UiAppOptions): ResultAsync<UiApp, ServerError> {
  const dirs = resolveUserDirs(options.env);
  const backend = createBackend({
    pipeline: options.pipeline ?? createUnwiredPipeline(),
    settings: createSettingsStore({ configDir: dirs.config, modelsDir: path.join(dirs.cache, 'models') }),
    mistakes: options.mistakes ?? createMemoryMistakes(options.seedMistakes ?? []),
    usage: options.usage ?? createStaticUsage(),
    project: options.project ?? createFsProjectPort(),
    projectDir: path.resolve(options.dir),
    logger: options.logger ?? silentLogger,
  });
  return startUiServer({
    backend,
    rendererDir: options.rendererDir ?? defaultRendererDir(),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  }).map((server) => ({
    server,
    backend,
    async close() {
      await backend.close();
      await server.close();
    },
  }));
}
