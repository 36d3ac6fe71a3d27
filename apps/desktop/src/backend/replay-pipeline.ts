import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FinalOutcome, RunEvent } from '@yantra/codegen';
import { describeUnknown, makeError, type YantraError } from '@yantra/shared';
import { ResultAsync } from 'neverthrow';
import type { Pipeline } from './ports.js';

/** A recorded event: the event without its run id, and the pause before it. */
export interface RecordedEvent {
  readonly delayMs: number;
  readonly event: Record<string, unknown> & { readonly type: RunEvent['type'] };
}

/** One recorded run, as stored in `fixtures/runs/<name>.json`. */
export interface RecordedRun {
  readonly name: string;
  /** The run is replayed for requests that contain this text (case-insensitive). */
  readonly match: string;
  readonly events: readonly RecordedEvent[];
}

export type RecordingError = YantraError<'recording_invalid'> & { readonly path: string };

export interface ReplayPipelineOptions {
  readonly runs: readonly RecordedRun[];
  /** Multiplies every recorded pause; 0 replays at once. Default 1. */
  readonly speed?: number;
  readonly clock?: () => number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * A Pipeline that replays recorded event sequences instead of running codegen. It drives the UI
 * end to end in tests and benchmarks; the app wires the real pipeline in production.
 */
export function createReplayPipeline(options: ReplayPipelineOptions): Pipeline {
  const speed = options.speed ?? 1;
  const clock = options.clock ?? Date.now;
  return {
    async run(request, { onEvent, signal }) {
      const wanted = request.request.toLowerCase();
      const recorded = options.runs.find((r) => wanted.includes(r.match.toLowerCase())) ?? options.runs[0];
      if (!recorded) throw new Error('the replay pipeline has no recorded runs');
      const runId = `run-${clock().toString(36)}-${randomBytes(3).toString('hex')}`;
      const started = clock();
      for (const { delayMs, event } of recorded.events) {
        await sleep(delayMs * speed, signal);
        if (signal.aborted) break;
        const live = { ...event, runId, ...('at' in event ? { at: clock() } : {}) } as RunEvent;
        if (live.type === 'run_started') Object.assign(live, { request: request.request });
        if (live.type === 'final') {
          const outcome = { ...live.outcome, runId, ms: clock() - started };
          onEvent({ type: 'final', runId, outcome });
          return outcome;
        }
        onEvent(live);
      }
      const cancelled: FinalOutcome = {
        status: 'cancelled',
        runId,
        files: [],
        attempts: 1,
        gates: {},
        usage: { inputTokens: 0, outputTokens: 0 },
        costUsd: 0,
        ms: clock() - started,
        reason: signal.aborted ? 'cancelled by the user' : 'the recording has no final event',
      };
      onEvent({ type: 'final', runId, outcome: cancelled });
      return cancelled;
    },
  };
}

function isRecordedRun(v: unknown): v is RecordedRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['name'] === 'string' &&
    typeof r['match'] === 'string' &&
    Array.isArray(r['events']) &&
    r['events'].every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as RecordedEvent).delayMs === 'number' &&
        typeof (e as RecordedEvent).event?.type === 'string',
    )
  );
}

/** Loads every `*.json` recording in a folder, sorted by file name. */
export function loadRecordedRuns(dir: string): ResultAsync<RecordedRun[], RecordingError> {
  const work = async () => {
    const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    const runs: RecordedRun[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      if (!isRecordedRun(parsed)) throw Object.assign(new Error(`${file} is not a recorded run`), { file });
      runs.push(parsed);
    }
    return runs;
  };
  return ResultAsync.fromPromise(work(), (e) =>
    makeError('recording_invalid', `cannot load recordings from ${dir}: ${describeUnknown(e)}`, { path: dir }),
  );
}
