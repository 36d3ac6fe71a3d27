import { Index, Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import type { AppState } from '../state/app-state.js';
import { isActive, type RunView } from '../state/run-view.js';
import { Markdown } from './Markdown.js';
import { StageList } from './StageList.js';

const OUTCOME_TONE: Record<string, string> = {
  committed: 'border-emerald-600 text-emerald-300',
  validated: 'border-emerald-600 text-emerald-300',
  rejected: 'border-amber-500 text-amber-200',
  failed: 'border-rose-600 text-rose-300',
  cancelled: 'border-slate-500 text-slate-300',
};

function RunMessage(props: { run: RunView; state: AppState }): JSX.Element {
  return (
    <article class="space-y-2" aria-label={`Run ${props.run.runId}`} data-run={props.run.runId} data-events={props.run.events}>
      <div class="ml-8 rounded-lg bg-sky-900/60 px-3 py-2 text-sm whitespace-pre-wrap" data-role="user">
        {props.run.request}
      </div>
      <div class="mr-4 rounded-lg border border-slate-800 bg-slate-900/60 px-3 py-2 text-sm" data-role="assistant">
        <Show when={props.run.text} fallback={<p class="text-slate-400">{isActive(props.run) ? 'Working…' : ''}</p>}>
          <div class="streamed" data-testid="streamed-text">
            <Markdown text={props.run.text} />
          </div>
        </Show>
        <StageList stages={props.run.stages} />
        <Show when={props.run.repairs.length > 0}>
          <p class="mt-1 text-xs text-amber-200">{props.run.repairs.length} repair attempt(s)</p>
        </Show>
        <Show when={props.run.outcome}>
          {(o) => (
            <div class={`mt-2 rounded border px-2 py-1 text-xs ${OUTCOME_TONE[o().status] ?? ''}`} data-outcome={o().status} role="status">
              <span class="font-semibold capitalize">{o().status}</span>
              <Show when={o().commit}>{(c) => <span> · commit <code class="font-mono">{c().slice(0, 10)}</code></span>}</Show>
              <span> · {o().files.length} file(s) · {(o().ms / 1000).toFixed(1)} s · ${o().costUsd.toFixed(4)}</span>
              <Show when={o().reason}>
                <p class="mt-1 text-slate-300">{o().reason}</p>
              </Show>
            </div>
          )}
        </Show>
        <div class="mt-2 flex gap-2">
          <Show when={isActive(props.run)}>
            <button class="rounded bg-rose-800 px-2 py-0.5 text-xs hover:bg-rose-700" onClick={() => void props.state.cancel(props.run.runId)}>
              Cancel
            </button>
          </Show>
          <Show when={!isActive(props.run)}>
            <button class="rounded bg-slate-700 px-2 py-0.5 text-xs hover:bg-slate-600" onClick={() => void props.state.retry(props.run.runId)}>
              Retry
            </button>
          </Show>
        </div>
      </div>
    </article>
  );
}

/** The chat: runs as messages, with live stages, and the request input. */
export function ChatPanel(props: { state: AppState; inputRef?: (el: HTMLTextAreaElement) => void }): JSX.Element {
  const [draft, setDraft] = createSignal('');
  const history: string[] = [];
  let historyAt = -1;
  let listEl: HTMLDivElement | undefined;

  const submit = () => {
    const text = draft().trim();
    if (!text) return;
    history.push(text);
    historyAt = -1;
    setDraft('');
    void props.state.send(text);
  };

  // Keep the newest output in view while it streams; one layout per frame at most.
  let scrollQueued = false;
  createEffect(
    on(props.state.runs, () => {
      if (scrollQueued) return;
      scrollQueued = true;
      requestAnimationFrame(() => {
        scrollQueued = false;
        if (listEl) listEl.scrollTop = listEl.scrollHeight;
      });
    }),
  );

  const onKey = (e: KeyboardEvent & { currentTarget: HTMLTextAreaElement }) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
      return;
    }
    const el = e.currentTarget;
    // Arrow keys walk the history only from the first/last line, so editing stays normal.
    if (e.key === 'ArrowUp' && el.selectionStart === 0 && history.length > 0) {
      e.preventDefault();
      historyAt = historyAt < 0 ? history.length - 1 : Math.max(0, historyAt - 1);
      setDraft(history[historyAt] ?? '');
    } else if (e.key === 'ArrowDown' && historyAt >= 0 && el.selectionEnd === el.value.length) {
      e.preventDefault();
      historyAt += 1;
      if (historyAt >= history.length) {
        historyAt = -1;
        setDraft('');
      } else setDraft(history[historyAt] ?? '');
    }
  };

  return (
    <div class="flex h-full flex-col">
      <div ref={listEl} class="flex-1 space-y-4 overflow-y-auto p-3" aria-live="polite" aria-label="Messages">
        <Show when={props.state.runs().length === 0}>
          <p class="mt-8 text-center text-sm text-slate-400">Describe a change to your Python project. Yantra writes it, checks it and commits it.</p>
        </Show>
        <Index each={props.state.runs()}>{(run) => <RunMessage run={run()} state={props.state} />}</Index>
      </div>
      <form
        class="border-t border-slate-800 p-2"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label for="request-input" class="sr-only">
          Request
        </label>
        <textarea
          id="request-input"
          ref={(el) => props.inputRef?.(el)}
          rows={3}
          class="w-full resize-y rounded-md border border-slate-700 bg-slate-900 p-2 text-sm text-slate-100 placeholder:text-slate-400"
          placeholder="Ask for a change… (Ctrl+Enter sends, ↑ recalls)"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onKey}
        />
        <div class="mt-1 flex items-center justify-between text-xs text-slate-400">
          <span data-testid="connection" data-status={props.state.status()} data-last-seq={props.state.lastSeq()}>
            {props.state.status() === 'open' ? 'connected' : props.state.status()} · {props.state.lastSeq()} events
          </span>
          <button type="submit" class="rounded bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-600">
            Send
          </button>
        </div>
      </form>
    </div>
  );
}
