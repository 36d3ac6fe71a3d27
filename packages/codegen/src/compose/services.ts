import { err, ok, okAsync, ResultAsync } from 'neverthrow';
import type { Logger, UserDirs } from '@yantra/shared';
import { settle, silentLogger, type Settled } from '@yantra/shared';
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
import { graphContextPort, graphSymbolIndex } from './context.js';
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

      // How long opening (building or updating) the graph took, handed to the first run that asks.
      let graphOpenMs: number | undefined;
      const takeOpenMs = () => {
        const v = graphOpenMs;
        graphOpenMs = undefined;
        return v;
      };
      const graph = lazy(() => {
        const t0 = performance.now();
        const engine = createGraphEngine({ root: options.projectRoot, logger });
        return engine
          .open()
          .map(() => {
            graphOpenMs = Math.round(performance.now() - t0);
            return engine;
          })
          .mapErr((e): PortError => {
            engine.close();
            return { kind: e.kind, message: e.message };
          });
      });
      const projectGraph = graph.get;

      const store = lazy(() =>
        createLearningStore({ projectRoot: options.projectRoot, redact, modelDir: options.toolchain.embedderDir, chroma: options.chroma ?? 'embedded', logger }).mapErr(
          (e): PortError => ({ kind: e.kind, message: e.message }),
        ),
      );
      const learningStore = store.get;

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
        context: graphContextPort(projectGraph, { takeOpenMs }),
        symbols: graphSymbolIndex(projectGraph, { takeOpenMs }),
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
          graph.peek()?.close();
          const opened = store.peek();
          if (opened) await settle(opened.close());
          if (validator) await validator.close();
          orchestrator.close();
        },
      };
      return okAsync<Services, PortError>(services);
    });
}

/**
 * Opens a resource on first use and shares it: concurrent callers wait for the same open, and a
 * failed open is not kept, so the next call tries again.
 */
function lazy<T>(open: () => ResultAsync<T, PortError>): { get: () => ResultAsync<T, PortError>; peek: () => T | undefined } {
  let value: T | undefined;
  let pending: Promise<Settled<T, PortError>> | undefined;
  return {
    get: () => {
      if (value !== undefined) return okAsync(value);
      pending ??= settle(open()).then((r) => {
        if (r.ok) value = r.value;
        else pending = undefined;
        return r;
      });
      return new ResultAsync(pending.then((r) => (r.ok ? ok(r.value) : err(r.error))));
    },
    peek: () => value,
  };
}
