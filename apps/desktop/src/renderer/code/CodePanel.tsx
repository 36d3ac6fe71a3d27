import { For, Show, createEffect, createMemo, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { ChangeFile, RunView } from '../state/run-view.js';
import type * as MonacoModule from './monaco.js';

type Monaco = typeof MonacoModule;
const NO_FILES: readonly ChangeFile[] = [];
type Editor = MonacoApi.editor.IStandaloneCodeEditor;
type DiffEditor = MonacoApi.editor.IStandaloneDiffEditor;

/**
 * The code viewer: read-only Monaco with a tab per file of the current change and a diff view
 * (before/after). Monaco is imported lazily so the first paint does not wait for it.
 */
export function CodePanel(props: { run: RunView | undefined }): JSX.Element {
  const [active, setActive] = createSignal<string | undefined>(undefined);
  const [diff, setDiff] = createSignal(false);
  const [loaded, setLoaded] = createSignal<Monaco | undefined>(undefined);
  let host: HTMLDivElement | undefined;
  let editor: Editor | undefined;
  let diffEditor: DiffEditor | undefined;

  // Memos compare by reference: a token event keeps the same files array, so Monaco is not
  // touched while text streams in.
  const files = createMemo((): readonly ChangeFile[] => props.run?.files ?? NO_FILES);
  const current = createMemo((): ChangeFile | undefined => files().find((f) => f.path === active()) ?? files()[0]);

  onMount(() => {
    void import('./monaco.js').then((m) => setLoaded(m));
  });
  onCleanup(() => {
    editor?.dispose();
    diffEditor?.dispose();
  });

  // Show the first file of a new change.
  createEffect(() => {
    const list = files();
    if (!list.some((f) => f.path === active())) setActive(list[0]?.path);
  });

  createEffect(() => {
    const m = loaded();
    const file = current();
    const showDiff = diff();
    if (!m || !host) return;
    performance.mark('yantra:code-open:start');
    const { monaco, languageOf } = m;
    // A viewer, not an editor: the features dropped here cost time on big files and add nothing read-only.
    const options = {
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      theme: 'yantra-dark',
      fontSize: 13,
      minimap: { enabled: false },
      folding: false,
      stickyScroll: { enabled: false },
      occurrencesHighlight: 'off',
      selectionHighlight: false,
      renderLineHighlight: 'none',
      codeLens: false,
      guides: { indentation: false },
      bracketPairColorization: { enabled: false },
    } as const;
    if (showDiff) {
      editor?.dispose();
      editor = undefined;
      diffEditor ??= monaco.editor.createDiffEditor(host, { ...options, renderSideBySide: host.clientWidth > 700, originalEditable: false });
      const lang = languageOf(file?.path ?? '');
      const old = diffEditor.getModel();
      diffEditor.setModel({
        original: monaco.editor.createModel(file?.before ?? '', lang),
        modified: monaco.editor.createModel(file?.after ?? '', lang),
      });
      old?.original.dispose();
      old?.modified.dispose();
    } else {
      diffEditor?.dispose();
      diffEditor = undefined;
      editor ??= monaco.editor.create(host, { ...options, value: '', language: 'python' });
      const old = editor.getModel();
      editor.setModel(monaco.editor.createModel(file?.after ?? '', languageOf(file?.path ?? '')));
      old?.dispose();
    }
    // Measured up to the next frame, so the figure includes Monaco's first render of the file.
    requestAnimationFrame(() => {
      performance.measure('yantra:code-open', 'yantra:code-open:start');
      host?.setAttribute('data-ready', file?.path ?? '');
    });
  });

  return (
    <div class="flex h-full flex-col">
      <div class="flex items-center gap-1 overflow-x-auto border-b border-slate-800 px-1" role="tablist" aria-label="Files of the change">
        <For each={files()}>
          {(f) => (
            <button
              role="tab"
              aria-selected={current()?.path === f.path}
              class={`whitespace-nowrap px-2 py-1 text-xs ${current()?.path === f.path ? 'border-b-2 border-sky-400 text-white' : 'text-slate-300 hover:text-white'}`}
              onClick={() => setActive(f.path)}
            >
              {f.path}
              <Show when={f.before === null}>
                <span class="ml-1 text-emerald-300">new</span>
              </Show>
            </button>
          )}
        </For>
        <label class="ml-auto flex items-center gap-1 px-2 text-xs text-slate-300">
          <input type="checkbox" checked={diff()} onChange={(e) => setDiff(e.currentTarget.checked)} />
          Diff
        </label>
      </div>
      <Show when={files().length === 0}>
        <p class="p-3 text-sm text-slate-400">The files of a change appear here.</p>
      </Show>
      <div ref={host} class="min-h-0 flex-1" data-testid="monaco-host" data-diff={diff() ? 'true' : 'false'} />
    </div>
  );
}
