import { batch, createMemo, createSignal, type Accessor } from 'solid-js';
import type { BackendError, ConnectionStatus, Provider, Transport } from '../../protocol/messages.js';
import { applyEvent, emptyRun, type RunView } from './run-view.js';

export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'error' | 'info';
}

/** The renderer's state: the runs (from the event stream), the connection, and notices. */
export interface AppState {
  readonly transport: Transport;
  readonly runs: Accessor<readonly RunView[]>;
  /** The run the Code and Preview panels show: the latest run with files, else the latest. */
  readonly focusRun: Accessor<RunView | undefined>;
  readonly status: Accessor<ConnectionStatus>;
  readonly lastSeq: Accessor<number>;
  readonly notices: Accessor<readonly Notice[]>;
  readonly provider: Accessor<Provider | undefined>;
  setProvider(p: Provider): void;
  notify(text: string, tone?: Notice['tone']): void;
  dismiss(id: number): void;
  send(request: string): Promise<void>;
  cancel(runId: string): Promise<void>;
  retry(runId: string): Promise<void>;
}

export function createAppState(transport: Transport): AppState {
  const [runs, setRuns] = createSignal<readonly RunView[]>([]);
  const [status, setStatus] = createSignal<ConnectionStatus>('connecting');
  const [lastSeq, setLastSeq] = createSignal(0);
  const [notices, setNotices] = createSignal<readonly Notice[]>([]);
  const [provider, setProvider] = createSignal<Provider | undefined>(undefined);
  let noticeId = 0;

  transport.onStatus(setStatus);
  transport.onEvent(({ seq, event }) => {
    batch(() => {
      setLastSeq(seq);
      setRuns((list) => {
        const i = list.findIndex((r) => r.runId === event.runId);
        if (i < 0) return [...list, applyEvent(emptyRun(event.runId), event)];
        const next = list.slice();
        next[i] = applyEvent(list[i] as RunView, event);
        return next;
      });
    });
  });

  const notify = (text: string, tone: Notice['tone'] = 'error') => {
    const id = ++noticeId;
    setNotices((n) => [...n.slice(-3), { id, text, tone }]);
  };
  const report = (e: BackendError) => notify(e.message);

  const focusRun = createMemo(() => {
    const list = runs();
    for (let i = list.length - 1; i >= 0; i -= 1) if ((list[i] as RunView).files.length > 0) return list[i];
    return list[list.length - 1];
  });

  return {
    transport,
    runs,
    focusRun,
    status,
    lastSeq,
    notices,
    provider,
    setProvider,
    notify,
    dismiss: (id) => setNotices((n) => n.filter((x) => x.id !== id)),
    async send(request) {
      const p = provider();
      const reply = await transport.request('run.start', p === undefined ? { request } : { request, provider: p });
      if (!reply.ok) report(reply.error);
    },
    async cancel(runId) {
      const reply = await transport.request('run.cancel', { runId });
      if (!reply.ok) report(reply.error);
    },
    async retry(runId) {
      const reply = await transport.request('run.retry', { runId });
      if (!reply.ok) report(reply.error);
    },
  };
}
