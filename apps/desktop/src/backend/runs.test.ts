import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '@yantra/codegen';
import { silentLogger } from '@yantra/shared';
import { describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../protocol/messages.js';
import type { Pipeline } from './ports.js';
import { createReplayPipeline, loadRecordedRuns } from './replay-pipeline.js';
import { createRunLog } from './run-log.js';
import { createRunManager } from './runs.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/runs');

function setup(pipeline: Pipeline) {
  const log = createRunLog();
  const published: SequencedEvent[] = [];
  const runs = createRunManager({ pipeline, log, projectDir: () => '/tmp/project', publish: (e) => published.push(e), logger: silentLogger });
  return { log, published, runs };
}

const waitFor = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('run manager', () => {
  it('runs a recorded pipeline, logs every event in order and ends with the final event', async () => {
    const recorded = (await loadRecordedRuns(fixtures))._unsafeUnwrap();
    const { runs, published, log } = setup(createReplayPipeline({ runs: recorded, speed: 0 }));
    const { runId } = (await runs.start('add the todos page'))._unsafeUnwrap();
    await waitFor(() => published.some((e) => e.event.type === 'final'));
    const todos = recorded.find((r) => r.match === 'todos');
    expect(published.map((e) => e.event.type)).toEqual(todos?.events.map((e) => e.event.type));
    expect(published.map((e) => e.seq)).toEqual(published.map((_, i) => i + 1));
    expect(published.every((e) => e.event.runId === runId)).toBe(true);
    expect(log.since(published.length - 3).map((e) => e.seq)).toEqual([published.length - 2, published.length - 1, published.length]);
    expect(runs.list()).toEqual([expect.objectContaining({ runId, request: 'add the todos page', lastSeq: published.length, outcome: expect.objectContaining({ status: 'committed' }) })]);
  });

  it('refuses a second run while one is active, cancels, then retries the same request', async () => {
    const recorded = (await loadRecordedRuns(fixtures))._unsafeUnwrap();
    const { runs, published } = setup(createReplayPipeline({ runs: recorded, speed: 5 }));
    const first = (await runs.start('rename load_user'))._unsafeUnwrap();
    const busy = await runs.start('another');
    expect(busy._unsafeUnwrapErr()).toMatchObject({ kind: 'busy', retryable: true });
    expect(runs.cancel(first.runId)).toBe(true);
    expect(runs.cancel('nope')).toBe(false);
    await waitFor(() => published.some((e) => e.event.type === 'final'));
    const final = published.find((e) => e.event.type === 'final')?.event as Extract<RunEvent, { type: 'final' }>;
    expect(final.outcome.status).toBe('cancelled');
    const again = await (async () => {
      for (;;) {
        const r = await runs.retry(first.runId);
        if (r.isOk()) return r.value;
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    expect(again.runId).not.toBe(first.runId);
    expect(runs.list().find((r) => r.runId === again.runId)?.request).toBe('rename load_user');
    expect((await runs.retry('missing'))._unsafeUnwrapErr().kind).toBe('not_found');
    await runs.close();
  });

  it('turns a pipeline that throws after starting into a failed final event', async () => {
    const pipeline: Pipeline = {
      async run(_req, { onEvent }) {
        onEvent({ type: 'run_started', runId: 'r1', request: 'x', at: 1 });
        throw new Error('model crashed');
      },
    };
    const { runs, published } = setup(pipeline);
    expect((await runs.start('x'))._unsafeUnwrap()).toEqual({ runId: 'r1' });
    await waitFor(() => published.length === 2);
    expect(published[1]?.event).toMatchObject({ type: 'final', outcome: { status: 'failed', reason: 'model crashed' } });
  });

  it('answers an error when the pipeline fails before any event', async () => {
    const { runs } = setup({ run: () => Promise.reject(new Error('no model')) });
    const r = await runs.start('x');
    expect(r._unsafeUnwrapErr()).toMatchObject({ kind: 'internal' });
    expect(r._unsafeUnwrapErr().message).toContain('no model');
  });
});

describe('run log', () => {
  it('drops the oldest events past its capacity and still answers since() by number', () => {
    const log = createRunLog({ capacity: 4 });
    for (let i = 0; i < 10; i += 1) log.append({ type: 'token', runId: 'r', text: String(i) });
    expect(log.lastSeq).toBe(10);
    expect(log.since(8).map((e) => e.seq)).toEqual([9, 10]);
    expect(log.since(10)).toEqual([]);
    const kept = log.since(0).map((e) => e.seq);
    expect(kept[kept.length - 1]).toBe(10);
    expect(kept.length).toBeLessThanOrEqual(5);
  });
});
