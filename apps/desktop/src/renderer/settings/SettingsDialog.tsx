import { For, Show, createSignal, onMount, type JSX } from 'solid-js';
import type { KeyedProvider, Provider, SanitizedSettings, UsageReport } from '../../protocol/messages.js';
import type { AppState } from '../state/app-state.js';

const LABELS: Record<Provider, string> = { anthropic: 'Claude', openai: 'OpenAI', compatible: 'OpenAI-compatible', local: 'Local' };
const KEYED: readonly KeyedProvider[] = ['anthropic', 'openai', 'compatible'];

const configured = (s: SanitizedSettings, p: Provider): boolean =>
  p === 'anthropic' ? s.anthropicConfigured : p === 'openai' ? s.openaiConfigured : p === 'compatible' ? s.compatibleConfigured : s.localConfigured;

function KeyRow(props: { provider: KeyedProvider; settings: SanitizedSettings; onSave(key: string): Promise<boolean>; onClear(): void }): JSX.Element {
  let input: HTMLInputElement | undefined;
  const id = `key-${props.provider}`;
  const save = async () => {
    const key = input?.value.trim() ?? '';
    if (!key) return;
    // The field is emptied as soon as the key is sent, so it never lingers in the page.
    if (input) input.value = '';
    await props.onSave(key);
  };
  return (
    <div class="flex flex-wrap items-center gap-2" data-provider={props.provider}>
      <label for={id} class="w-40 text-sm">
        {LABELS[props.provider]} API key
      </label>
      <input
        id={id}
        ref={input}
        type="password"
        autocomplete="off"
        class="min-w-0 flex-1 rounded border border-slate-600 bg-slate-900 px-2 py-1 text-sm"
        placeholder={configured(props.settings, props.provider) ? '•••••••• (saved)' : 'not set'}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save();
        }}
      />
      <button class="rounded bg-sky-700 px-2 py-1 text-xs hover:bg-sky-600" onClick={() => void save()}>
        Save
      </button>
      <button class="rounded bg-slate-700 px-2 py-1 text-xs hover:bg-slate-600" onClick={() => props.onClear()}>
        Clear
      </button>
      <span
        class={`w-28 text-xs ${configured(props.settings, props.provider) ? 'text-emerald-300' : 'text-slate-400'}`}
        data-testid={`status-${props.provider}`}
        role="status"
      >
        {configured(props.settings, props.provider) ? 'configured' : 'not configured'}
      </span>
    </div>
  );
}

/** LLM settings: provider toggle, keys (saved through the backend), breaker states and cost. */
export function SettingsDialog(props: { state: AppState }): JSX.Element {
  const [settings, setSettings] = createSignal<SanitizedSettings | undefined>(undefined);
  const [usage, setUsage] = createSignal<UsageReport | undefined>(undefined);
  const t = props.state.transport;

  const apply = (reply: Awaited<ReturnType<typeof t.request<'settings.get'>>>) => {
    if (reply.ok) {
      setSettings(reply.value);
      props.state.setProvider(reply.value.primary);
      return true;
    }
    props.state.notify(reply.error.message);
    return false;
  };

  onMount(() => {
    void t.request('settings.get', {}).then(apply);
    void t.request('usage.get', {}).then((r) => (r.ok ? setUsage(r.value) : props.state.notify(r.error.message)));
  });

  return (
    <div class="space-y-4">
      <Show when={settings()} fallback={<p class="text-sm text-slate-400">Loading…</p>}>
        {(s) => (
          <>
            <fieldset class="space-y-1">
              <legend class="mb-1 text-sm font-semibold">Provider</legend>
              <div class="flex flex-wrap gap-3" role="radiogroup" aria-label="Provider">
                <For each={['anthropic', 'openai', 'compatible', 'local'] as const}>
                  {(p) => (
                    <label class="flex items-center gap-1 text-sm">
                      <input
                        type="radio"
                        name="provider"
                        checked={s().primary === p}
                        onChange={() => void t.request('settings.setPrimary', { provider: p }).then(apply)}
                      />
                      {LABELS[p]}
                    </label>
                  )}
                </For>
              </div>
            </fieldset>
            <div class="space-y-2">
              <For each={KEYED}>
                {(p) => (
                  <KeyRow
                    provider={p}
                    settings={s()}
                    onSave={(key) => t.request('settings.saveKey', { provider: p, key }).then(apply)}
                    onClear={() => void t.request('settings.clearKey', { provider: p }).then(apply)}
                  />
                )}
              </For>
              <p class="text-xs text-slate-400">
                Local model: <span data-testid="status-local">{s().localConfigured ? 'configured' : 'not configured'}</span> · saved in{' '}
                <code class="font-mono">{s().configPath}</code>
              </p>
            </div>
          </>
        )}
      </Show>
      <section aria-label="Usage and breakers">
        <h3 class="mb-1 text-sm font-semibold">Usage and breakers</h3>
        <Show when={usage()} fallback={<p class="text-xs text-slate-400">No usage reported.</p>}>
          {(u) => (
            <table class="w-full text-left text-xs">
              <thead class="text-slate-400">
                <tr>
                  <th class="py-0.5">Provider</th>
                  <th>Breaker</th>
                  <th>Tokens in/out</th>
                  <th class="text-right">Cost</th>
                </tr>
              </thead>
              <tbody>
                <For each={u().providers}>
                  {(p) => (
                    <tr>
                      <td class="py-0.5">{LABELS[p.provider]}</td>
                      <td class={p.breaker === 'closed' ? 'text-emerald-300' : 'text-amber-300'}>{p.breaker.replace('_', '-')}</td>
                      <td class="tabular-nums">
                        {p.inputTokens} / {p.outputTokens}
                      </td>
                      <td class="text-right tabular-nums">${p.costUsd.toFixed(4)}</td>
                    </tr>
                  )}
                </For>
                <tr class="border-t border-slate-700 font-semibold">
                  <td class="py-0.5" colSpan={3}>
                    Total so far
                  </td>
                  <td class="text-right tabular-nums">${u().totalCostUsd.toFixed(4)}</td>
                </tr>
              </tbody>
            </table>
          )}
        </Show>
      </section>
    </div>
  );
}
