import { describeUnknown, silentLogger, type Logger } from '@yantra/shared';
import { ResultAsync, okAsync } from 'neverthrow';
import {
  backendError,
  type BackendError,
  type MessageType,
  type ParamsOf,
  type Reply,
  type RequestFrame,
  type ResultOf,
  type SequencedEvent,
} from '../protocol/messages.js';
import type { MistakesPort, Pipeline, ProjectPort, UsagePort } from './ports.js';
import { createRunLog, type RunLog } from './run-log.js';
import { createRunManager, type RunManager } from './runs.js';
import type { SettingsStore } from './settings-store.js';

export interface BackendOptions {
  readonly pipeline: Pipeline;
  readonly settings: SettingsStore;
  readonly mistakes: MistakesPort;
  readonly usage: UsagePort;
  readonly project: ProjectPort;
  /** The project folder runs start in; `project.open` changes it. */
  readonly projectDir: string;
  readonly logger?: Logger;
  /** Default: a fresh in-memory log. */
  readonly runLog?: RunLog;
}

/** One connected client: the backend pushes events to it. */
export interface Connection {
  push(e: SequencedEvent): void;
}

/** The transport-independent backend: answers requests and publishes run events. */
export interface Backend {
  handle(frame: RequestFrame, from: Connection): Promise<Reply<unknown>>;
  /** Registers a connection for live events; returns the unsubscribe function. */
  connect(c: Connection): () => void;
  readonly lastSeq: number;
  /** Reads the change files of a run for the preview (latest attempt), or undefined. */
  changeFile(runId: string, filePath: string): string | undefined;
  projectDir(): string;
  close(): Promise<void>;
}

type Handler<K extends MessageType> = (params: ParamsOf<K>, from: Connection) => ResultAsync<ResultOf<K>, BackendError>;
type Handlers = { [K in MessageType]: Handler<K> };

const fromPort = <T>(what: string, p: Promise<T>): ResultAsync<T, BackendError> =>
  ResultAsync.fromPromise(p, (e) => backendError('port_failed', `${what}: ${describeUnknown(e)}`, true));

export function createBackend(options: BackendOptions): Backend {
  const logger = options.logger ?? silentLogger;
  const log = options.runLog ?? createRunLog();
  const connections = new Set<Connection>();
  let projectDir = options.projectDir;

  const publish = (e: SequencedEvent) => {
    for (const c of connections) c.push(e);
  };
  const runs: RunManager = createRunManager({ pipeline: options.pipeline, log, projectDir: () => projectDir, publish, logger });

  const handlers: Handlers = {
    'run.start': (p) => runs.start(p.request, p.provider),
    'run.cancel': (p) => okAsync({ cancelled: runs.cancel(p.runId) }),
    'run.retry': (p) => runs.retry(p.runId),
    'run.list': () => okAsync({ runs: runs.list() }),
    'events.replay': (p, from) => {
      const missed = log.since(p.afterSeq);
      for (const e of missed) from.push(e);
      return okAsync({ replayed: missed.length, lastSeq: log.lastSeq });
    },
    'settings.get': () => options.settings.get(),
    'settings.saveKey': (p) => options.settings.saveKey(p.provider, p.key),
    'settings.clearKey': (p) => options.settings.clearKey(p.provider),
    'settings.setPrimary': (p) => options.settings.setPrimary(p.provider),
    'usage.get': () => fromPort('usage', options.usage.report()),
    'mistakes.list': (p) => fromPort('mistakes', options.mistakes.list(p)).map((patterns) => ({ patterns })),
    'mistakes.archive': (p) => fromPort('mistakes', options.mistakes.archive(p.id)).map((archived) => ({ archived })),
    'mistakes.clear': () => fromPort('mistakes', options.mistakes.clear()).map((cleared) => ({ cleared })),
    'mistakes.export': () => fromPort('mistakes', options.mistakes.exportJson()).map((json) => ({ json })),
    'project.get': () => fromPort('project', options.project.describe(projectDir)),
    'project.open': (p) =>
      ResultAsync.fromPromise(options.project.describe(p.dir), (e) =>
        backendError('not_found', `cannot open ${p.dir}: ${describeUnknown(e)}`),
      ).map((info) => {
        projectDir = info.dir;
        return info;
      }),
    'project.init': () => fromPort('project init', options.project.init(projectDir)),
  };

  return {
    async handle(frame, from) {
      const handler = handlers[frame.type] as Handler<MessageType>;
      return handler(frame.params, from).match(
        (value): Reply<unknown> => ({ ok: true, value }),
        (error): Reply<unknown> => ({ ok: false, error }),
      );
    },
    connect(c) {
      connections.add(c);
      return () => connections.delete(c);
    },
    get lastSeq() {
      return log.lastSeq;
    },
    changeFile(runId, filePath) {
      const events = log.ofRun(runId);
      for (let i = events.length - 1; i >= 0; i -= 1) {
        const e = (events[i] as SequencedEvent).event;
        if (e.type === 'change') return e.files.find((f) => f.path === filePath)?.after;
      }
      return undefined;
    },
    projectDir: () => projectDir,
    close: () => runs.close(),
  };
}
