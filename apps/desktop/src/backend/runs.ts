import type { FinalOutcome, RunEvent } from '@yantra/codegen';
import { describeUnknown, type Logger } from '@yantra/shared';
import { ResultAsync, errAsync } from 'neverthrow';
import { backendError, type BackendError, type RunSummary, type SequencedEvent } from '../protocol/messages.js';
import type { Pipeline } from './ports.js';
import type { RunLog } from './run-log.js';

export interface RunManagerOptions {
  readonly pipeline: Pipeline;
  readonly log: RunLog;
  /** The project folder, read at each start so that opening another project takes effect. */
  readonly projectDir: () => string;
  /** Called with every event after it is logged. */
  readonly publish: (e: SequencedEvent) => void;
  readonly logger: Logger;
}

interface RunRecord {
  readonly runId: string;
  readonly request: string;
  readonly provider: string | undefined;
  readonly controller: AbortController;
  outcome?: FinalOutcome;
}

/** Starts, cancels and retries runs; one at a time, since a run ends in a commit. */
export interface RunManager {
  start(request: string, provider?: string): ResultAsync<{ runId: string }, BackendError>;
  cancel(runId: string): boolean;
  retry(runId: string): ResultAsync<{ runId: string }, BackendError>;
  list(): readonly RunSummary[];
  /** Aborts the active run and waits for it to settle. */
  close(): Promise<void>;
}

/** The outcome of a run that could not run at all. */
export function failedOutcome(runId: string, reason: string): FinalOutcome {
  return {
    status: 'failed',
    runId,
    files: [],
    attempts: 0,
    gates: {},
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    ms: 0,
    reason,
  };
}

export function createRunManager(options: RunManagerOptions): RunManager {
  const runs = new Map<string, RunRecord>();
  let active: { controller: AbortController; done: Promise<void> } | undefined;

  const start = (request: string, provider?: string): ResultAsync<{ runId: string }, BackendError> => {
    if (active) return errAsync(backendError('busy', 'a run is already in progress; cancel it or wait for it to finish', true));
    const controller = new AbortController();
    let resolveId: (id: string) => void = () => undefined;
    const idKnown = new Promise<string>((resolve) => {
      resolveId = resolve;
    });
    let record: RunRecord | undefined;
    const onEvent = (event: RunEvent) => {
      if (!record) {
        record = { runId: event.runId, request, provider, controller };
        runs.set(event.runId, record);
        resolveId(event.runId);
      }
      // Events after the final one would contradict it; drop them.
      if (record.outcome) return;
      if (event.type === 'final') record.outcome = event.outcome;
      options.publish(options.log.append(event));
    };
    const work = options.pipeline
      .run({ dir: options.projectDir(), request, ...(provider === undefined ? {} : { provider }) }, { onEvent, signal: controller.signal })
      .then(
        (outcome) => {
          if (record && !record.outcome) onEvent({ type: 'final', runId: record.runId, outcome });
        },
        (cause: unknown) => {
          options.logger.error(`pipeline failed: ${describeUnknown(cause)}`);
          if (record && !record.outcome) onEvent({ type: 'final', runId: record.runId, outcome: failedOutcome(record.runId, describeUnknown(cause)) });
          throw cause;
        },
      );
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    const current = { controller, done };
    active = current;
    void done.then(() => {
      if (active === current) active = undefined;
    });
    // The run id comes from the pipeline's first event; a pipeline that ends before emitting
    // anything answers the request with an error instead.
    const noEvent = work.then(() => Promise.reject(new Error('the pipeline finished without emitting any event')));
    return ResultAsync.fromPromise(Promise.race([idKnown, noEvent]), (cause) =>
      backendError('internal', `the run could not start: ${describeUnknown(cause)}`),
    ).map((runId) => ({ runId }));
  };

  return {
    start,
    cancel(runId) {
      const record = runs.get(runId);
      if (!record || record.outcome || record.controller.signal.aborted) return false;
      record.controller.abort();
      return true;
    },
    retry(runId) {
      const record = runs.get(runId);
      if (!record) return errAsync(backendError('not_found', `no run ${runId}`));
      return start(record.request, record.provider);
    },
    list() {
      return [...runs.values()].map((r) => {
        const events = options.log.ofRun(r.runId);
        const lastSeq = events.length > 0 ? (events[events.length - 1] as SequencedEvent).seq : 0;
        const base = { runId: r.runId, request: r.request, lastSeq };
        return r.outcome ? { ...base, outcome: r.outcome } : base;
      });
    },
    async close() {
      const current = active;
      current?.controller.abort();
      await current?.done;
    },
  };
}
