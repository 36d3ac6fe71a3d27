import { okAsync, ResultAsync } from 'neverthrow';
import type { Logger, UserDirs } from '@yantra/shared';
import { describeUnknown, settle, silentLogger } from '@yantra/shared';
import { createBrowserValidator, type BrowserValidator } from '@yantra/browser-validate';
import { createGraphEngine, type GraphEngine } from '@yantra/gnn';
import { createLearningStore, type LearningStore } from '@yantra/learning';
import { createOrchestrator, loadLlmConfig, type Orchestrator, type ProviderId } from '@yantra/llm-orchestrator';
import { createScanner, redact } from '@yantra/security';
import { createSyntaxGate } from '../gates/syntax.js';
import type { Gate, PortError } from '../pipeline/ports.js';
import { createPipeline, type Pipeline } from '../pipeline/run.js';
import type { Toolchain } from '../toolchain.js';
import { gitCommitPort } from './commit.js';
import { graphContextPort } from './context.js';
import { createBrowserGate, createGraphGate, createSecurityGate, createTestsGate } from './gates.js';
import { orchestratorPort } from './llm.js';
import { learningPort } from './memory.js';

export interface ServicesOptions {
  readonly projectRoot: string;
  readonly env: NodeJS.ProcessEnv;
  readonly userDirs: UserDirs;
  readonly toolchain: Toolchain;
  /** Use only this provider (no failover). Default: the configured chain. */
  readonly provider?: ProviderId;
  /** Record and retrieve mistakes. Default true. */
  readonly learning?: boolean;
  /** Chroma for the learning store. Default `'embedded'`. */
  readonly chroma?: 'embedded' | 'off' | { readonly url: string };
  readonly maxAttempts?: number;
  readonly maxTokens?: number;
  /** Overrides of the resolved LLM config (the demo gives the CPU-bound local model more time). */
  readonly llm?: { readonly timeoutMs?: number; readonly maxRetries?: number };
  readonly logger?: Logger;
}

/** Everything the main job needs, wired from the real packages, with one `close()`. */
export interface Services {
  readonly pipeline: Pipeline;
  readonly orchestrator: Orchestrator;
  projectGraph(): ResultAsync<GraphEngine, PortError>;
  learningStore(): ResultAsync<LearningStore, PortError>;
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions): ResultAsync<Services, PortError> {
  const logger = options.logger ?? silentLogger;
  return loadLlmConfig(options.env, options.userDirs)
    .mapErr((e): PortError => ({ kind: e.kind, message: e.message }))
    .andThen((loaded) => {
      const config = { ...loaded, ...options.llm };
      const orchestrator = createOrchestrator({ config, projectRoot: options.projectRoot, logger });

      let graph: GraphEngine | undefined;
      let graphOpen: Promise<GraphEngine> | undefined;
      const projectGraph = (): ResultAsync<GraphEngine, PortError> => {
        if (graph) return okAsync(graph);
        graphOpen ??= (async () => {
          const engine = createGraphEngine({ root: options.projectRoot, logger });
          const opened = await settle(engine.open());
          if (!opened.ok) {
            engine.close();
            graphOpen = undefined;
            throw opened.error;
          }
          graph = engine;
          return engine;
        })();
        return fromPromise(graphOpen, 'graph_unavailable');
      };

      let store: LearningStore | undefined;
      let storeOpen: Promise<LearningStore> | undefined;
      const learningStore = (): ResultAsync<LearningStore, PortError> => {
        if (store) return okAsync(store);
        storeOpen ??= (async () => {
          const opened = await settle(
            createLearningStore({
              projectRoot: options.projectRoot,
              redact,
              modelDir: options.toolchain.embedderDir,
              chroma: options.chroma ?? 'embedded',
              logger,
            }),
          );
          if (!opened.ok) {
            storeOpen = undefined;
            throw opened.error;
          }
          store = opened.value;
          return opened.value;
        })();
        return fromPromise(storeOpen, 'learning_unavailable');
      };

      let validator: BrowserValidator | undefined;
      const browser = () => (validator ??= createBrowserValidator({ chromePath: options.toolchain.chromium, pythonPath: options.toolchain.python, logger }));
      const scanner = createScanner({ semgrepPath: options.toolchain.semgrep, python: options.toolchain.python, logger });

      const gates: Gate[] = [
        createSyntaxGate({ python: options.toolchain.python }),
        createGraphGate({ projectGraph }),
        // Security runs before tests: its auto-fixes rewrite code, and the tests must validate
        // the code that will be committed.
        createSecurityGate({ scanner }),
        createTestsGate({ toolsPython: options.toolchain.python, projectGraph }),
        createBrowserGate({ validator: browser }),
      ];
      const pipeline = createPipeline({
        llm: orchestratorPort(orchestrator, { ...(options.provider ? { provider: options.provider } : {}), ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}) }),
        gates,
        context: graphContextPort(projectGraph),
        ...(options.learning === false ? {} : { memory: learningPort(learningStore) }),
        commit: gitCommitPort(),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
        logger,
      });
      const services: Services = {
        pipeline,
        orchestrator,
        projectGraph,
        learningStore,
        close: async () => {
          graph?.close();
          if (store) await settle(store.close());
          if (validator) await validator.close();
          orchestrator.close();
        },
      };
      return okAsync<Services, PortError>(services);
    });
}

function fromPromise<T>(p: Promise<T>, kind: string): ResultAsync<T, PortError> {
  return ResultAsync.fromPromise(p, (e): PortError => {
    const known = e as { kind?: unknown; message?: unknown };
    return typeof known.kind === 'string' && typeof known.message === 'string'
      ? { kind: known.kind, message: known.message }
      : { kind, message: describeUnknown(e) };
  });
}
