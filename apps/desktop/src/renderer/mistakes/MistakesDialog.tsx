import { For, Show, createSignal, onMount, type JSX } from 'solid-js';
import type { MistakePattern } from '../../protocol/messages.js';
import type { AppState } from '../state/app-state.js';

/** The mistakes dashboard: list, filter by category, similarity search, archive, clear, export. */
export function MistakesDialog(props: { state: AppState }): JSX.Element {
  const t = props.state.transport;
  const [patterns, setPatterns] = createSignal<readonly MistakePattern[]>([]);
  const [categories, setCategories] = createSignal<readonly string[]>([]);
  const [category, setCategory] = createSignal('');
  const [search, setSearch] = createSignal('');
  const [archived, setArchived] = createSignal(false);

  const load = async () => {
    const reply = await t.request('mistakes.list', {
      ...(category() ? { category: category() } : {}),
      ...(search().trim() ? { search: search().trim() } : {}),
      includeArchived: archived(),
    });
    if (!reply.ok) return props.state.notify(reply.error.message);
    setPatterns(reply.value.patterns);
    if (!category() && !search().trim()) setCategories([...new Set(reply.value.patterns.map((p) => p.category))].sort());
  };
  onMount(() => void load());

  const archive = async (id: string) => {
    const reply = await t.request('mistakes.archive', { id });
    if (!reply.ok) props.state.notify(reply.error.message);
    await load();
  };
  const clear = async () => {
    if (!window.confirm('Delete every recorded mistake pattern?')) return;
    const reply = await t.request('mistakes.clear', {});
    if (!reply.ok) props.state.notify(reply.error.message);
    else props.state.notify(`Cleared ${reply.value.cleared} pattern(s)`, 'info');
    await load();
  };
  const exportAll = async () => {
    const reply = await t.request('mistakes.export', {});
    if (!reply.ok) return props.state.notify(reply.error.message);
    const url = URL.createObjectURL(new Blob([reply.value.json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'yantra-mistakes.json';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div class="space-y-3">
      <form
        class="flex flex-wrap items-end gap-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label class="flex flex-col text-xs">
          Category
          <select class="rounded border border-slate-600 bg-slate-900 px-1 py-1 text-sm" value={category()} onChange={(e) => { setCategory(e.currentTarget.value); void load(); }}>
            <option value="">All</option>
            <For each={categories()}>{(c) => <option value={c}>{c}</option>}</For>
          </select>
        </label>
        <label class="flex flex-1 flex-col text-xs">
          Similar to
          <input type="search" class="rounded border border-slate-600 bg-slate-900 px-2 py-1 text-sm" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="describe a mistake…" />
        </label>
        <label class="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={archived()} onChange={(e) => { setArchived(e.currentTarget.checked); void load(); }} />
          Archived too
        </label>
        <button type="submit" class="rounded bg-sky-700 px-2 py-1 text-xs hover:bg-sky-600">Search</button>
        <button type="button" class="rounded bg-slate-700 px-2 py-1 text-xs hover:bg-slate-600" onClick={() => void exportAll()}>Export</button>
        <button type="button" class="rounded bg-rose-800 px-2 py-1 text-xs hover:bg-rose-700" onClick={() => void clear()}>Clear all</button>
      </form>
      <ul class="max-h-[55vh] space-y-2 overflow-y-auto" aria-label="Mistake patterns">
        <For each={patterns()} fallback={<li class="text-sm text-slate-400">No recorded mistakes.</li>}>
          {(p) => (
            <li class={`rounded border border-slate-700 p-2 text-sm ${p.archived ? 'opacity-60' : ''}`} data-pattern={p.id}>
              <div class="flex items-center gap-2">
                <span class="rounded bg-slate-800 px-1.5 text-xs text-amber-200">{p.category}</span>
                <span class="font-medium">{p.description}</span>
                <Show when={p.score !== undefined}>
                  <span class="text-xs text-slate-400">{((p.score ?? 0) * 100).toFixed(0)}% similar</span>
                </Show>
                <span class="ml-auto text-xs text-slate-400">×{p.occurrences} · {p.lastSeen.slice(0, 10)}</span>
                <Show when={!p.archived}>
                  <button class="rounded bg-slate-700 px-2 py-0.5 text-xs hover:bg-slate-600" onClick={() => void archive(p.id)} aria-label={`Archive ${p.description}`}>
                    Archive
                  </button>
                </Show>
              </div>
              <Show when={p.example}>
                <pre class="mt-1 overflow-x-auto rounded bg-slate-900 p-1 font-mono text-xs text-rose-200">{p.example}</pre>
              </Show>
              <Show when={p.fix}>
                <pre class="mt-1 overflow-x-auto rounded bg-slate-900 p-1 font-mono text-xs text-emerald-200">{p.fix}</pre>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
