import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES, type RunEvent } from '@yantra/codegen';
import { describe, expect, it } from 'vitest';
import { loadRecordedRuns } from '../../backend/replay-pipeline.js';
import { applyEvent, emptyRun, STAGE_ORDER, type RunView } from './run-view.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

function fold(events: readonly Record<string, unknown>[]): RunView {
  let view = emptyRun('r1');
  for (const e of events) view = applyEvent(view, { ...e, runId: 'r1' } as RunEvent);
  return view;
}

/** The parts of a folded view worth pinning, in a stable shape. */
function summary(view: RunView) {
  return {
    request: view.request,
    stages: Object.fromEntries(view.stages.map((s) => [s.stage, { status: s.status, ms: s.ms ?? null }])),
    textLength: view.text.length,
    files: view.files.map((f) => ({ path: f.path, new: f.before === null })),
    outcome: view.outcome ? { status: view.outcome.status, reason: view.outcome.reason ?? null } : null,
    events: view.events,
  };
}

describe('run view', () => {
  it('shows the same stages as codegen, in order', () => {
    expect(STAGE_ORDER).toEqual(STAGES);
  });

  it('folds each recorded run into its expected view', async () => {
    const runs = (await loadRecordedRuns(path.join(fixtures, 'runs')))._unsafeUnwrap();
    for (const run of runs) {
      const view = fold(run.events.map((e) => (e.event.type === 'run_started' ? { ...e.event, request: run.match } : e.event)));
      await expect(`${JSON.stringify(summary(view), null, 2)}\n`).toMatchFileSnapshot(path.join(fixtures, 'expected', `${run.name}.view.json`));
    }
  });

  it('ignores events of other runs and starts a fresh text on a new attempt', () => {
    let v = emptyRun('r1');
    v = applyEvent(v, { type: 'token', runId: 'other', text: 'x' });
    expect(v.events).toBe(0);
    v = applyEvent(v, { type: 'stage_started', runId: 'r1', stage: 'generate', attempt: 1, at: 0 });
    v = applyEvent(v, { type: 'token', runId: 'r1', text: 'first try' });
    v = applyEvent(v, { type: 'repair', runId: 'r1', attempt: 1, feedback: 'tests failed' });
    v = applyEvent(v, { type: 'stage_started', runId: 'r1', stage: 'generate', attempt: 2, at: 0 });
    v = applyEvent(v, { type: 'token', runId: 'r1', text: 'second' });
    expect(v.text).toBe('second');
    expect(v.attempt).toBe(2);
    expect(v.repairs).toEqual(['tests failed']);
  });

  it('marks a skipped gate as skipped and stops spinning stages when a run is cancelled', () => {
    let v = emptyRun('r1');
    v = applyEvent(v, { type: 'stage_started', runId: 'r1', stage: 'browser', attempt: 1, at: 0 });
    v = applyEvent(v, { type: 'gate', runId: 'r1', attempt: 1, result: { gate: 'browser', status: 'skipped', ms: 0, summary: 'no UI files' } });
    v = applyEvent(v, { type: 'stage_finished', runId: 'r1', stage: 'browser', attempt: 1, ok: true, ms: 1 });
    expect(v.stages.find((s) => s.stage === 'browser')?.status).toBe('skipped');
    v = applyEvent(v, { type: 'stage_started', runId: 'r1', stage: 'commit', attempt: 1, at: 0 });
    v = applyEvent(v, {
      type: 'final',
      runId: 'r1',
      outcome: { status: 'cancelled', runId: 'r1', files: [], attempts: 1, gates: {}, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, ms: 5 },
    });
    expect(v.stages.find((s) => s.stage === 'commit')?.status).toBe('failed');
  });
});
