import { For, Index, Match, Switch, createMemo, type JSX } from 'solid-js';
import { parseMarkdown, type Block, type Inline } from './markdown.js';

function Inlines(props: { items: readonly Inline[] }): JSX.Element {
  return (
    <For each={props.items}>
      {(i) => (
        <Switch fallback={<>{i.text}</>}>
          <Match when={i.kind === 'code'}>
            <code class="rounded bg-slate-800 px-1 font-mono text-[0.9em] text-amber-200">{i.text}</code>
          </Match>
          <Match when={i.kind === 'strong'}>
            <strong>{i.text}</strong>
          </Match>
          <Match when={i.kind === 'em'}>
            <em>{i.text}</em>
          </Match>
        </Switch>
      )}
    </For>
  );
}

const as = <K extends Block['kind']>(b: Block, kind: K) => (b.kind === kind ? (b as Extract<Block, { kind: K }>) : undefined);

function BlockView(props: { block: Block }): JSX.Element {
  return (
    <Switch>
      <Match when={as(props.block, 'code')}>
        {(b) => (
          <pre class="my-2 overflow-x-auto rounded-md border border-slate-700 bg-slate-900 p-2 text-xs leading-relaxed" data-lang={b().lang}>
            <code class="font-mono">{b().text}</code>
          </pre>
        )}
      </Match>
      <Match when={as(props.block, 'heading')}>
        {(b) => (
          <p class="mt-2 font-semibold" role="heading" aria-level={b().level + 2}>
            <Inlines items={b().inline} />
          </p>
        )}
      </Match>
      <Match when={as(props.block, 'list')}>
        {(b) => (
          <ul class="my-1 list-disc pl-5">
            <For each={b().items}>{(item) => <li><Inlines items={item} /></li>}</For>
          </ul>
        )}
      </Match>
      <Match when={as(props.block, 'paragraph')}>
        {(b) => (
          <p class="my-1">
            <Inlines items={b().inline} />
          </p>
        )}
      </Match>
    </Switch>
  );
}

/** Renders chat Markdown as elements. `Index` keeps earlier blocks' DOM while tokens stream in. */
export function Markdown(props: { text: string }): JSX.Element {
  const blocks = createMemo(() => parseMarkdown(props.text));
  return <Index each={blocks()}>{(b) => <BlockView block={b()} />}</Index>;
}
