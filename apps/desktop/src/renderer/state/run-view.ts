/**
 * What the chat shows of one run, folded from its events. Pure, so it is tested in Node and the
 * view simply renders it.
 */
import type { FinalOutcome, GateResult, RunEvent, Stage } from '@yantra/codegen';

/** The stages shown, in order (a copy of codegen's STAGES, whose runtime value the renderer does not bundle). */
export const STAGE_ORDER: readonly Stage[] = ['intent', 'context', 'generate', 'edits', 'syntax', 'graph', 'security', 'tests', 'browser', 'commit'];

export type StageStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped';

export interface StageView {
  readonly stage: Stage;
  readonly status: StageStatus;
  readonly attempt: number;
  readonly ms?: number;
  readonly summary?: string;
  readonly progress?: string;
  readonly gate?: GateResult;
}

export interface ChangeFile {
  readonly path: string;
  readonly before: string | null;
  readonly after: string;
}

export interface RunView {
  readonly runId: string;
  readonly request: string;
  readonly startedAt?: number;
  readonly stages: readonly StageView[];
  /** The streamed LLM text of the current attempt. */
  readonly text: string;
  readonly attempt: number;
  readonly files: readonly ChangeFile[];
  readonly repairs: readonly string[];
  readonly outcome?: FinalOutcome;
  readonly events: number;
}

export function emptyRun(runId: string, request = ''): RunView {
  return {
    runId,
    request,
    stages: STAGE_ORDER.map((stage) => ({ stage, status: 'pending', attempt: 0 })),
    text: '',
    attempt: 1,
    files: [],
    repairs: [],
    events: 0,
  };
}

const setStage = (view: RunView, stage: Stage, change: (s: StageView) => StageView): RunView => ({
  ...view,
  stages: view.stages.map((s) => (s.stage === stage ? change(s) : s)),
});

/** Folds one event into the view. Unknown or foreign events leave it unchanged (but counted). */
export function applyEvent(view: RunView, event: RunEvent): RunView {
  if (event.runId !== view.runId) return view;
  const v = { ...view, events: view.events + 1 };
  switch (event.type) {
    case 'run_started':
      return { ...v, request: event.request, startedAt: event.at };
    case 'stage_started': {
      // A new attempt (after a repair) starts the generation over: fresh text, gates pending again.
      const restarted = event.attempt > v.attempt ? { ...v, attempt: event.attempt, text: '' } : v;
      return setStage(restarted, event.stage, (s) => ({ stage: s.stage, status: 'running', attempt: event.attempt }));
    }
    case 'stage_progress':
      return setStage(v, event.stage, (s) => ({ ...s, progress: event.message + (event.total ? ` (${event.done ?? 0}/${event.total})` : '') }));
    case 'stage_finished':
      return setStage(v, event.stage, (s) => ({
        ...s,
        status: s.gate?.status === 'skipped' ? 'skipped' : event.ok ? 'passed' : 'failed',
        ms: event.ms,
        ...(event.summary === undefined ? {} : { summary: event.summary }),
        progress: undefined,
      }));
    case 'token':
      return { ...v, text: v.text + event.text };
    case 'gate':
      return setStage(v, event.result.gate, (s) => ({
        ...s,
        gate: event.result,
        status: event.result.status === 'skipped' ? 'skipped' : event.result.status === 'passed' ? 'passed' : 'failed',
        ms: s.ms ?? event.result.ms,
      }));
    case 'change':
      return { ...v, files: event.files.map((f) => ({ path: f.path, before: f.before, after: f.after })) };
    case 'repair':
      return { ...v, repairs: [...v.repairs, event.feedback] };
    case 'final': {
      // Stages still running when the run ends did not finish: show them as failed when the run
      // failed or was cancelled, so nothing spins forever.
      const ended = event.outcome.status === 'committed' || event.outcome.status === 'validated';
      return {
        ...v,
        outcome: event.outcome,
        stages: v.stages.map((s) => (s.status === 'running' ? { ...s, status: ended ? 'passed' : 'failed' } : s)),
      };
    }
    default:
      return v;
  }
}

/** True while the run has not ended. */
export const isActive = (view: RunView): boolean => view.outcome === undefined;
