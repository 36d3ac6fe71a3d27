import { For, Show, createEffect, createMemo, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import type { RunView } from '../state/run-view.js';

interface ConsoleLine {
  readonly level: string;
  readonly text: string;
  readonly source: 'gate' | 'live';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The browser preview: an iframe of the change's page (served by the backend), a refresh
 * button, console output from the browser gate and from the live frame, and the gate's screenshot.
 */
export function PreviewPanel(props: { run: RunView | undefined }): JSX.Element {
  const [nonce, setNonce] = createSignal(0);
  const [live, setLive] = createSignal<readonly ConsoleLine[]>([]);

  const page = createMemo(() => props.run?.files.find((f) => /\.html?$/.test(f.path)));
  const runId = createMemo(() => props.run?.runId);
  // A memo, so that events which do not change the page do not reload the frame.
  const src = createMemo(() => {
    const p = page();
    const id = runId();
    return p && id ? `preview/${encodeURIComponent(id)}/${p.path.split('/').map(encodeURIComponent).join('/')}?v=${nonce()}` : undefined;
  });
  const gate = createMemo(() => props.run?.stages.find((s) => s.stage === 'browser')?.gate);
  const gateDetails = () => (isObj(gate()?.details) ? (gate()?.details as Obj) : {});
  const screenshot = () => {
    const d = gateDetails();
    const s = d['screenshot'] ?? d['screenshotBase64'];
    if (typeof s !== 'string' || s === '') return undefined;
    return s.startsWith('data:image/') ? s : `data:image/png;base64,${s}`;
  };
  const gateConsole = createMemo((): ConsoleLine[] => {
    const list = gateDetails()['console'];
    return Array.isArray(list)
      ? list.filter(isObj).map((c) => ({ level: String(c['level'] ?? c['type'] ?? 'log'), text: String(c['text'] ?? c['message'] ?? ''), source: 'gate' as const }))
      : [];
  });

  // The frame is sandboxed (opaque origin); the backend injects a relay that posts its console
  // and uncaught errors here. Only messages from this frame are taken.
  let frameEl: HTMLIFrameElement | undefined;
  const onMessage = (e: MessageEvent) => {
    const d: unknown = e.data;
    if (!frameEl || e.source !== frameEl.contentWindow || !isObj(d) || d['yantraPreviewConsole'] !== true) return;
    const line: ConsoleLine = { level: String(d['level'] ?? 'log'), text: String(d['text'] ?? '').slice(0, 2_000), source: 'live' };
    setLive((l) => [...l.slice(-199), line]);
  };
  onMount(() => window.addEventListener('message', onMessage));
  // A new page (or a refresh) starts a new console.
  createEffect(on(src, () => setLive([])));
  onCleanup(() => window.removeEventListener('message', onMessage));

  const lines = () => [...gateConsole(), ...live()];

  return (
    <div class="flex h-full flex-col text-sm">
      <div class="flex items-center gap-2 border-b border-slate-800 px-2 py-1">
        <span class="truncate text-xs text-slate-300">{page()?.path ?? 'No page in this change'}</span>
        <button class="ml-auto rounded bg-slate-700 px-2 py-0.5 text-xs hover:bg-slate-600" onClick={() => setNonce((n) => n + 1)} aria-label="Refresh preview">
          Refresh
        </button>
      </div>
      <div class="min-h-0 flex-1 bg-white">
        <Show when={src()} fallback={<div class="h-full bg-slate-950 p-3 text-xs text-slate-400">A page of the change shows here.</div>}>
          <iframe
            ref={frameEl}
            title="Preview of the generated page"
            class="h-full w-full"
            sandbox="allow-scripts allow-forms allow-modals"
            src={src()}
          />
        </Show>
      </div>
      <section class="max-h-40 overflow-y-auto border-t border-slate-800 p-1 font-mono text-[11px]" aria-label="Console output">
        <For each={lines()} fallback={<p class="text-slate-400">No console output.</p>}>
          {(l) => (
            <p class={l.level === 'error' ? 'bg-rose-950 text-rose-300' : l.level === 'warning' ? 'text-amber-200' : 'text-slate-300'} data-level={l.level} data-source={l.source}>
              {l.level}: {l.text}
            </p>
          )}
        </For>
      </section>
      <Show when={screenshot()}>
        <figure class="border-t border-slate-800 p-1">
          <img src={screenshot()} alt="Screenshot from the browser gate" class="max-h-40 w-full object-contain" />
          <figcaption class="text-[11px] text-slate-400">Browser gate screenshot</figcaption>
        </figure>
      </Show>
    </div>
  );
}
