import { For, Show, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { normalizePanelSizes, type PanelSizes } from '../layout.js';
import { ChatPanel } from './chat/ChatPanel.js';
import { CodePanel } from './code/CodePanel.js';
import { MistakesDialog } from './mistakes/MistakesDialog.js';
import { PreviewPanel } from './preview/PreviewPanel.js';
import { ProjectBar } from './project/ProjectBar.js';
import { SettingsDialog } from './settings/SettingsDialog.js';
import type { AppState } from './state/app-state.js';

const STORAGE_KEY = 'yantra.panels';

function loadSizes(): PanelSizes {
  try {
    return normalizePanelSizes(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'));
  } catch {
    return normalizePanelSizes(undefined);
  }
}

type DialogName = 'settings' | 'mistakes';

function Dialog(props: { title: string; onClose(): void; children: JSX.Element }): JSX.Element {
  let box: HTMLDivElement | undefined;
  onMount(() => box?.querySelector<HTMLElement>('input, select, button')?.focus());
  return (
    <div class="fixed inset-0 z-20 flex items-start justify-center bg-black/60 pt-16" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div ref={box} role="dialog" aria-modal="true" aria-label={props.title} class="w-[min(52rem,92vw)] rounded-lg border border-slate-700 bg-slate-900 p-4 shadow-2xl">
        <div class="mb-3 flex items-center">
          <h2 class="text-base font-semibold">{props.title}</h2>
          <button class="ml-auto rounded px-2 text-slate-300 hover:bg-slate-800" onClick={() => props.onClose()} aria-label="Close">
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

/** The window: project bar, the three resizable panels (Chat, Code, Preview) and the dialogs. */
export function App(props: { state: AppState }): JSX.Element {
  const [sizes, setSizes] = createSignal<PanelSizes>(loadSizes());
  const [dialog, setDialog] = createSignal<DialogName | undefined>(undefined);
  let row: HTMLDivElement | undefined;
  let chatInput: HTMLTextAreaElement | undefined;
  const panels: HTMLElement[] = [];

  const store = (next: PanelSizes) => {
    const s = normalizePanelSizes(next);
    setSizes(s);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  };

  /** Moves the boundary after panel `i` by `deltaPercent`, taking the room from its right neighbour. */
  const moveSplit = (i: 0 | 1, deltaPercent: number) => {
    const s = [...sizes()] as [number, number, number];
    s[i] += deltaPercent;
    s[i + 1] = (s[i + 1] as number) - deltaPercent;
    if (s.every((x) => x >= 10)) store(s);
  };

  const startDrag = (i: 0 | 1, e: PointerEvent) => {
    if (!row) return;
    e.preventDefault();
    const width = row.getBoundingClientRect().width;
    let lastX = e.clientX;
    const onMove = (ev: PointerEvent) => {
      moveSplit(i, ((ev.clientX - lastX) / width) * 100);
      lastX = ev.clientX;
    };
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && dialog()) {
      setDialog(undefined);
      return;
    }
    // Alt+1/2/3 jump to the panels; Ctrl+, opens settings; Ctrl+Shift+M the mistakes dashboard.
    if (e.altKey && ['1', '2', '3'].includes(e.key)) {
      e.preventDefault();
      const i = Number(e.key) - 1;
      if (i === 0) chatInput?.focus();
      else panels[i]?.focus();
    } else if (e.ctrlKey && e.key === ',') {
      e.preventDefault();
      setDialog('settings');
    } else if (e.ctrlKey && e.shiftKey && (e.key === 'M' || e.key === 'm')) {
      e.preventDefault();
      setDialog('mistakes');
    }
  };
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const Splitter = (p: { index: 0 | 1; label: string }) => (
    <div
      class="splitter w-1.5 shrink-0 bg-slate-800 hover:bg-sky-600 focus:bg-sky-600"
      role="separator"
      aria-orientation="vertical"
      aria-label={p.label}
      aria-valuenow={Math.round(sizes()[p.index])}
      aria-valuemin={10}
      aria-valuemax={80}
      tabIndex={0}
      data-splitter={p.index}
      onPointerDown={(e) => startDrag(p.index, e)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') moveSplit(p.index, -2);
        if (e.key === 'ArrowRight') moveSplit(p.index, 2);
      }}
    />
  );

  return (
    <div class="flex h-full flex-col">
      <header class="flex items-center gap-3 border-b border-slate-800 bg-slate-900 px-3 py-1.5">
        <h1 class="text-sm font-bold tracking-wide text-sky-300">Yantra</h1>
        <ProjectBar state={props.state} />
        <nav class="ml-auto flex gap-1" aria-label="Main">
          <button class="rounded px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800" onClick={() => setDialog('mistakes')} title="Ctrl+Shift+M">
            Mistakes
          </button>
          <button class="rounded px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800" onClick={() => setDialog('settings')} title="Ctrl+,">
            Settings
          </button>
        </nav>
      </header>
      <div ref={row} class="flex min-h-0 flex-1">
        <section data-panel="chat" aria-label="Chat" class="min-w-0" style={{ width: `${sizes()[0]}%` }} tabIndex={-1} ref={(el) => (panels[0] = el)}>
          <ChatPanel state={props.state} inputRef={(el) => (chatInput = el)} />
        </section>
        <Splitter index={0} label="Resize chat and code" />
        <section data-panel="code" aria-label="Code" class="min-w-0" style={{ width: `${sizes()[1]}%` }} tabIndex={-1} ref={(el) => (panels[1] = el)}>
          <CodePanel run={props.state.focusRun()} />
        </section>
        <Splitter index={1} label="Resize code and preview" />
        <section data-panel="preview" aria-label="Preview" class="min-w-0 flex-1" style={{ width: `${sizes()[2]}%` }} tabIndex={-1} ref={(el) => (panels[2] = el)}>
          <PreviewPanel run={props.state.focusRun()} />
        </section>
      </div>
      <div class="pointer-events-none fixed bottom-3 right-3 z-30 space-y-1" aria-live="assertive">
        <For each={props.state.notices()}>
          {(n) => (
            <div class={`pointer-events-auto flex items-center gap-2 rounded px-3 py-1.5 text-sm shadow ${n.tone === 'error' ? 'bg-rose-900 text-rose-100' : 'bg-slate-800 text-slate-100'}`} role="alert">
              {n.text}
              <button class="text-xs underline" onClick={() => props.state.dismiss(n.id)}>
                dismiss
              </button>
            </div>
          )}
        </For>
      </div>
      <Show when={dialog() === 'settings'}>
        <Dialog title="Settings" onClose={() => setDialog(undefined)}>
          <SettingsDialog state={props.state} />
        </Dialog>
      </Show>
      <Show when={dialog() === 'mistakes'}>
        <Dialog title="Mistakes" onClose={() => setDialog(undefined)}>
          <MistakesDialog state={props.state} />
        </Dialog>
      </Show>
    </div>
  );
}
