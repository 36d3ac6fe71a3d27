import { randomUUID } from 'node:crypto';
import { okAsync } from 'neverthrow';
import type { Logger } from '@yantra/shared';
import { settle, silentLogger } from '@yantra/shared';
import { buildChange, reviewChange, type FileChange } from '../edits/change.js';
import { parseEditBlocks } from '../edits/parse.js';
import type { FinalOutcome, GateName, GateStatus, RunEvent, Stage, Usage } from '../events.js';
import { applyToWorkingTree, createShadowWorkspace, type ShadowWorkspace } from '../workspace/shadow.js';
import type { Intent } from './intent.js';
import { resolveIntent } from './intent-resolve.js';
import { buildRunReport, writeRunReport, type RunTimings } from './run-report.js';
import type { ChatMessage, CommitPort, ContextBlock, ContextPort, DroppedFile, Gate, GateRecord, LlmPort, MemoryPort, PortError, SymbolIndexPort } from './ports.js';
import { buildPrompt, buildRepairMessage } from './prompt.js';

export interface PipelineOptions {
  readonly llm: LlmPort;
  /** Gates in the order they run; the first failure stops the attempt. */
  readonly gates: readonly Gate[];
  readonly context?: ContextPort;
  /** Graph lookups for the intent (mentions → definitions and files). Without it, mentions stay unresolved. */
  readonly symbols?: SymbolIndexPort;
  readonly memory?: MemoryPort;
  readonly commit?: CommitPort;
  /** Repair attempts after the first. Default 3 attempts in all. */
  readonly maxAttempts?: number;
  /** Token budget for project context. Default 4000. */
  readonly contextBudget?: number;
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly tempRoot?: string;
  /** Write each run's metrics to `<project>/.yantra/runs/<runId>.json`. Default true. */
  readonly recordRuns?: boolean;
}

export interface RunRequest {
  readonly projectRoot: string;
  readonly request: string;
  /** Validate only: never touch the working tree or git. */
  readonly noCommit?: boolean;
}

export interface RunHooks {
  readonly onEvent?: (event: RunEvent) => void;
  readonly signal?: AbortSignal;
  /** Asked once every gate passed, before the working tree is written. Default: yes. */
  readonly confirm?: (files: readonly FileChange[]) => Promise<boolean>;
}

export interface Pipeline {
  run(request: RunRequest, hooks?: RunHooks): Promise<FinalOutcome>;
}

const TEST_FILE = /(^|\/)(tests?\/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)/;

/** Existing tests are read-only oracles unless the request asks to change them. */
function testEditFeedback(files: readonly FileChange[], intent: Intent): string | undefined {
  if (intent.allowsTestEdits) return undefined;
  const touched = files.filter((f) => f.before !== null && TEST_FILE.test(f.path)).map((f) => f.path);
  if (touched.length === 0) return undefined;
  return `The change edits existing tests (${touched.join(', ')}). Existing tests are read-only: change the code so they pass, and put new tests in new test files or appended test functions.`;
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0),
    cacheWriteTokens: (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0),
  };
}

/**
 * The main job: request → intent → context → prompt → generation → edits in a shadow
 * workspace → gates → repair (at most `maxAttempts`) → atomic apply → commit. Every step is an
 * event; the user's tree is written only after every gate passed.
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const maxAttempts = options.maxAttempts ?? 3;
  const logger = options.logger ?? silentLogger;
  const now = options.clock ?? (() => performance.now());

  return {
    async run(req, hooks = {}) {
      const runId = randomUUID();
      const started = now();
      const events: RunEvent[] = [];
      const emit = (e: RunEvent) => {
        // Token deltas are many and carry no metrics; the run report keeps everything else.
        if (e.type !== 'token') events.push(e);
        hooks.onEvent?.(e);
      };
      let usage: Usage = { inputTokens: 0, outputTokens: 0 };
      let costUsd = 0;
      let model = 'unknown';
      const gateStatus: Partial<Record<GateName, GateStatus>> = {};
      let attempts = 0;
      const timings: { graphOpenMs: number; graphQueryMs: number; llmCalls: number } = { graphOpenMs: 0, graphQueryMs: 0, llmCalls: 0 };
      const addGraph = (t: { readonly graphOpenMs?: number; readonly queryMs: number } | undefined) => {
        if (!t) return;
        timings.graphOpenMs += t.graphOpenMs ?? 0;
        timings.graphQueryMs += t.queryMs;
      };
      let files: FileChange[] = [];
      // Files the gates removed from the current attempt's change (kept only for the last attempt).
      let dropped: DroppedFile[] = [];

      const finish = async (status: FinalOutcome['status'], extra: { commit?: string; reason?: string } = {}): Promise<FinalOutcome> => {
        const outcome: FinalOutcome = {
          status,
          runId,
          files: files.map((f) => f.path),
          attempts,
          gates: gateStatus,
          usage,
          costUsd,
          ms: Math.round(now() - started),
          // Only a change that passed has a meaningful list of what was left out of it.
          ...(dropped.length > 0 && (status === 'committed' || status === 'validated') ? { dropped } : {}),
          ...extra,
        };
        emit({ type: 'final', runId, outcome });
        if (options.recordRuns !== false) {
          const run: RunTimings = { graphOpenMs: Math.round(timings.graphOpenMs), graphQueryMs: Math.round(timings.graphQueryMs * 10) / 10, llmCalls: timings.llmCalls };
          const written = await settle(writeRunReport(req.projectRoot, buildRunReport(events, outcome, run)));
          if (!written.ok) logger.warn('could not write the run report', { message: written.error.message });
        }
        return outcome;
      };

      async function stage<T>(name: Stage, attempt: number, work: () => Promise<{ ok: boolean; value: T; summary?: string }>) {
        const t0 = now();
        emit({ type: 'stage_started', runId, stage: name, attempt, at: Date.now() });
        const r = await work();
        const ms = Math.round(now() - t0);
        emit({ type: 'stage_finished', runId, stage: name, attempt, ok: r.ok, ms, ...(r.summary === undefined ? {} : { summary: r.summary }) });
        return { ...r, ms };
      }

      const repairText = (feedback: string, attempt: number) =>
        buildRepairMessage(feedback, attempt, maxAttempts).unwrapOr(feedback);

      emit({ type: 'run_started', runId, request: req.request, at: Date.now() });
      const intent = (await stage('intent', 0, async () => {
        const { resolution, reply } = await resolveIntent({
          request: req.request,
          projectRoot: req.projectRoot,
          ...(options.symbols ? { index: options.symbols } : {}),
          llm: options.llm,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          clock: now,
        });
        if (reply) {
          usage = addUsage(usage, reply.usage);
          costUsd += reply.costUsd;
          timings.llmCalls += 1;
        }
        addGraph(resolution.graph);
        emit({ type: 'intent', runId, ...resolution });
        const value = resolution.intent;
        const how = resolution.source === 'llm' ? ' (resolved by the LLM)' : resolution.fallback ? ` (kept the parse: ${resolution.fallback.reason ?? ''})` : '';
        return { ok: true, value, summary: `${value.action}: ${value.target}${how}` };
      })).value;

      const context = await stage('context', 0, async () => {
        const graph = await settle(
          options.context
            ? options.context.context({ projectRoot: req.projectRoot, request: req.request, intent, budgetTokens: options.contextBudget ?? 4000 })
            : okAsync<ContextBlock | undefined, PortError>(undefined),
        );
        const mistakes = await settle(options.memory ? options.memory.retrieve({ request: req.request, model }) : okAsync(''));
        const text = graph.ok ? (graph.value?.text ?? '') : '';
        if (graph.ok) addGraph(graph.value);
        if (!graph.ok) logger.warn('context unavailable', { kind: graph.error.kind, message: graph.error.message });
        const memo = mistakes.ok ? mistakes.value : '';
        return { ok: graph.ok, value: { text, mistakes: memo }, summary: `${text.length} chars of context` };
      });

      const prompt = await settle(buildPrompt({ request: req.request, context: context.value.text, mistakes: context.value.mistakes }));
      if (!prompt.ok) return finish('failed', { reason: prompt.error.message });
      const system = prompt.value.system;

      const shadowResult = await settle(createShadowWorkspace(req.projectRoot, options.tempRoot));
      if (!shadowResult.ok) return finish('failed', { reason: shadowResult.error.message });
      const shadow: ShadowWorkspace = shadowResult.value;
      const messages: ChatMessage[] = [{ role: 'user', content: prompt.value.user }];
      let lastFailure = '';
      let passedGates: GateRecord[] = [];

      try {
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          attempts = attempt;
          if (hooks.signal?.aborted) return finish('cancelled', { reason: 'cancelled' });
          // Every attempt starts from the project's own files.
          if (files.length > 0) {
            const reset = await settle(shadow.reset(files));
            if (!reset.ok) return finish('failed', { reason: reset.error.message });
          }
          files = [];
          dropped = [];

          const gen = await stage('generate', attempt, async () => {
            const reply = await settle(
              options.llm.complete(
                { system, messages },
                { ...(hooks.signal ? { signal: hooks.signal } : {}), onToken: (text) => emit({ type: 'token', runId, text }) },
              ),
            );
            if (!reply.ok) return { ok: false, value: undefined, summary: `${reply.error.kind}: ${reply.error.message}` };
            timings.llmCalls += 1;
            usage = addUsage(usage, reply.value.usage);
            costUsd += reply.value.costUsd;
            model = `${reply.value.provider}/${reply.value.model}`;
            return { ok: true, value: reply.value.text, summary: `${reply.value.usage.outputTokens} tokens from ${model}` };
          });
          if (gen.value === undefined) {
            if (hooks.signal?.aborted) return finish('cancelled', { reason: 'cancelled' });
            return finish('failed', { reason: `generation failed: ${gen.summary ?? ''}` });
          }
          const replyText = gen.value;

          const edits = await stage('edits', attempt, async () => {
            const parsed = parseEditBlocks(replyText);
            const problems = parsed.problems.map((p) => `line ${p.line}: ${p.message}`);
            if (parsed.blocks.length === 0) problems.push('the reply contains no SEARCH/REPLACE edit blocks');
            if (problems.length > 0) return { ok: false, value: [] as FileChange[], summary: problems.join('\n') };
            const change = await settle(buildChange(parsed.blocks, (p) => shadow.read(p)));
            if (!change.ok) return { ok: false, value: [] as FileChange[], summary: change.error.map((p) => p.message).join('\n') };
            if (change.value.length === 0) return { ok: false, value: [] as FileChange[], summary: 'the edit blocks change nothing' };
            const guard = testEditFeedback(change.value, intent);
            if (guard) return { ok: false, value: change.value, summary: guard };
            const warnings = intent.allowsDeletions ? [] : reviewChange(change.value).filter((w) => w.kind === 'deleted_symbols');
            if (warnings.length > 0) {
              return {
                ok: false,
                value: change.value,
                summary: `The change deletes code the request did not ask to remove: ${warnings.map((w) => w.message).join('; ')}`,
              };
            }
            return { ok: true, value: change.value, summary: `${change.value.length} file(s): ${change.value.map((f) => f.path).join(', ')}` };
          });
          messages.push({ role: 'assistant', content: replyText });
          if (!edits.ok) {
            lastFailure = edits.summary ?? 'the edits could not be applied';
            emit({ type: 'repair', runId, attempt, feedback: lastFailure });
            messages.push({ role: 'user', content: repairText(lastFailure, attempt) });
            continue;
          }
          files = edits.value;
          emit({ type: 'change', runId, attempt, files });
          const applied = await settle(shadow.apply(files));
          if (!applied.ok) return finish('failed', { reason: applied.error.message });

          const records: GateRecord[] = [];
          let failed: GateRecord | undefined;
          for (const gate of options.gates) {
            const verdict = await stage(gate.name, attempt, async () => {
              const r = gate.run({
                projectRoot: req.projectRoot,
                shadowRoot: shadow.root,
                files,
                intent,
                ...(hooks.signal ? { signal: hooks.signal } : {}),
              });
              return r.match(
                (v) => ({ ok: v.status !== 'failed', value: v, summary: v.summary }),
                (e) => ({ ok: false, value: { status: 'failed' as const, summary: `${gate.name} gate error (${e.kind}): ${e.message}` }, summary: e.message }),
              );
            });
            const v = verdict.value;
            if (v.rewritten && v.rewritten.length > 0) {
              const byPath = new Map(v.rewritten.map((r) => [r.path, r.after]));
              files = files.map((f) => (byPath.has(f.path) ? { ...f, after: byPath.get(f.path) as string } : f));
              emit({ type: 'change', runId, attempt, files });
            }
            if (v.dropped && v.dropped.length > 0) {
              const gone = v.dropped.filter((d) => files.some((f) => f.path === d.path));
              const removed = files.filter((f) => gone.some((d) => d.path === f.path));
              // Restore the shadow too, so later gates see exactly the change that will be committed.
              const restored = await settle(shadow.reset(removed));
              if (!restored.ok) return finish('failed', { reason: restored.error.message });
              files = files.filter((f) => !gone.some((d) => d.path === f.path));
              dropped.push(...gone);
              emit({ type: 'change', runId, attempt, files });
            }
            const record: GateRecord = { gate: gate.name, status: v.status, summary: v.summary, ...(v.details === undefined ? {} : { details: v.details }) };
            gateStatus[gate.name] = v.status;
            records.push(record);
            emit({ type: 'gate', runId, attempt, result: { ...record, ms: verdict.ms } });
            if (v.status === 'failed') {
              failed = record;
              break;
            }
          }
          if (!failed) {
            passedGates = records;
            break;
          }
          lastFailure = `${failed.gate} gate failed:\n${failed.summary}`;
          if (options.memory) {
            const recorded = await settle(
              options.memory.record({ model, gate: failed.gate, summary: failed.summary, details: failed.details, files, projectRoot: req.projectRoot }),
            );
            if (!recorded.ok) logger.warn('could not record the mistake', { message: recorded.error.message });
          }
          emit({ type: 'repair', runId, attempt, feedback: lastFailure });
          messages.push({ role: 'user', content: repairText(lastFailure, attempt) });
          passedGates = [];
        }

        if (passedGates.length === 0 && options.gates.length > 0) {
          return finish('rejected', { reason: `no attempt passed every gate after ${attempts} attempt(s); last failure: ${lastFailure}` });
        }
        if (files.length === 0) return finish('rejected', { reason: lastFailure || 'no change was produced' });
        if (req.noCommit) return finish('validated');
        if (hooks.confirm && !(await hooks.confirm(files))) return finish('validated', { reason: 'not applied: the user declined' });

        const committed = await stage('commit', attempts, async () => {
          const written = await settle(applyToWorkingTree(req.projectRoot, files));
          if (!written.ok) return { ok: false, value: undefined, summary: written.error.message };
          if (!options.commit) return { ok: true, value: undefined, summary: 'written (no git port)' };
          const c = options.commit.commit({ projectRoot: req.projectRoot, runId, request: req.request, files, gates: passedGates });
          return c.match(
            (v) => ({ ok: true, value: v.sha as string | undefined, summary: v.message.split('\n')[0] }),
            (e) => ({ ok: false, value: undefined, summary: `commit failed (${e.kind}): ${e.message}` }),
          );
        });
        if (!committed.ok) return finish('failed', { reason: committed.summary ?? 'commit failed' });
        return finish('committed', committed.value ? { commit: committed.value } : {});
      } finally {
        await shadow.dispose();
      }
    },
  };
}
