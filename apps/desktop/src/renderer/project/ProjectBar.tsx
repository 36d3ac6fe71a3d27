import { Show, createSignal, onMount, type JSX } from 'solid-js';
import type { ProjectInfo } from '../../protocol/messages.js';
import type { AppState } from '../state/app-state.js';

/** The project picker: the open folder, opening another, initialising Yantra there, graph stats. */
export function ProjectBar(props: { state: AppState }): JSX.Element {
  const t = props.state.transport;
  const [info, setInfo] = createSignal<ProjectInfo | undefined>(undefined);
  const [editing, setEditing] = createSignal(false);
  let input: HTMLInputElement | undefined;

  const take = (reply: Awaited<ReturnType<typeof t.request<'project.get'>>>) => {
    if (reply.ok) setInfo(reply.value);
    else props.state.notify(reply.error.message);
    return reply.ok;
  };
  onMount(() => void t.request('project.get', {}).then(take));

  const open = async () => {
    const dir = input?.value.trim();
    if (!dir) return;
    if (take(await t.request('project.open', { dir }))) setEditing(false);
  };

  return (
    <div class="flex min-w-0 items-center gap-2 text-xs" aria-label="Project">
      <Show
        when={editing()}
        fallback={
          <button class="truncate rounded px-1 font-mono text-slate-200 hover:bg-slate-800" title="Open another folder" onClick={() => setEditing(true)}>
            {info()?.dir ?? '…'}
          </button>
        }
      >
        <form class="flex gap-1" onSubmit={(e) => { e.preventDefault(); void open(); }}>
          <label for="project-dir" class="sr-only">Project folder</label>
          <input id="project-dir" ref={input} class="w-72 rounded border border-slate-600 bg-slate-900 px-1 font-mono" value={info()?.dir ?? ''} />
          <button type="submit" class="rounded bg-sky-700 px-2 hover:bg-sky-600">Open</button>
          <button type="button" class="rounded bg-slate-700 px-2 hover:bg-slate-600" onClick={() => setEditing(false)}>Cancel</button>
        </form>
      </Show>
      <Show when={info()}>
        {(i) => (
          <>
            <Show
              when={i().initialized}
              fallback={
                <button class="rounded bg-amber-700 px-2 py-0.5 text-white hover:bg-amber-600" onClick={() => void t.request('project.init', {}).then(take)}>
                  Init Yantra
                </button>
              }
            >
              <span class="text-emerald-300">initialised</span>
            </Show>
            <Show when={i().stats}>
              {(s) => (
                <span class="text-slate-400" data-testid="graph-stats">
                  {s().files} files · {s().functions} functions · {s().classes} classes{s().edges > 0 ? ` · ${s().edges} edges` : ''}
                </span>
              )}
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
