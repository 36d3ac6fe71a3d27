import { For, Index, Show, type JSX } from 'solid-js';
import type { StageView } from '../state/run-view.js';
import { describeDetails, type DetailItem } from './details.js';

const ICON: Record<StageView['status'], string> = { pending: '○', running: '◐', passed: '✓', failed: '✗', skipped: '–' };
const TONE: Record<StageView['status'], string> = {
  pending: 'text-slate-400',
  running: 'text-sky-300',
  passed: 'text-emerald-400',
  failed: 'text-rose-400',
  skipped: 'text-slate-400',
};

function DetailList(props: { items: readonly DetailItem[] }): JSX.Element {
  return (
    <ul class="mt-1 space-y-1 text-xs">
      <For each={props.items}>
        {(item) => (
          <li class="rounded bg-slate-900 p-1.5" data-detail={item.kind}>
            <div class={item.tone === 'error' ? 'text-rose-300' : 'text-slate-200'}>{item.title}</div>
            <Show when={item.body}>
              <pre class="mt-1 max-h-40 overflow-auto whitespace-pre-wrap font-mono text-[11px] text-slate-300">{item.body}</pre>
            </Show>
            <Show when={item.sites.length > 0}>
              <ul class="mt-1 pl-3" aria-label="Sites">
                <For each={item.sites}>{(site) => <li class="font-mono text-[11px] text-amber-200" data-site>{site}</li>}</For>
              </ul>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}

/** The pipeline's stages with status, timing and expandable details. */
export function StageList(props: { stages: readonly StageView[] }): JSX.Element {
  return (
    <ol class="mt-2 space-y-0.5 text-sm" aria-label="Stages">
      <Index each={props.stages}>
        {(stage) => {
          const s = (): StageView => stage();
          const details = () => describeDetails(s().stage, s().gate?.details);
          return (
            <li data-stage={s().stage} data-status={s().status}>
              <details open={s().status === 'failed'}>
                <summary class="flex cursor-pointer items-center gap-2 rounded px-1 hover:bg-slate-800">
                  <span class={`w-4 text-center ${TONE[s().status]}`} aria-hidden="true">
                    {ICON[s().status]}
                  </span>
                  <span class="w-20 font-medium capitalize">{s().stage}</span>
                  <span class={`text-xs ${TONE[s().status]}`}>{s().status}</span>
                  <Show when={s().ms !== undefined}>
                    <span class="ml-auto text-xs tabular-nums text-slate-400">{s().ms} ms</span>
                  </Show>
                </summary>
                <div class="pb-1 pl-7">
                  <Show when={s().progress}>
                    <p class="text-xs text-sky-200">{s().progress}</p>
                  </Show>
                  <Show when={s().summary ?? s().gate?.summary}>
                    <p class="text-xs text-slate-300">{s().summary ?? s().gate?.summary}</p>
                  </Show>
                  <Show when={details().length > 0}>
                    <DetailList items={details()} />
                  </Show>
                </div>
              </details>
            </li>
          );
        }}
      </Index>
    </ol>
  );
}
