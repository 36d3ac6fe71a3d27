import type { ConnectionStatus, MessageType, ParamsOf, Reply, ResultOf, SequencedEvent, Transport } from '../../protocol/messages.js';

/** What the Electron preload exposes as `window.yantra`: one function per message, plus subscriptions. */
export type PreloadApi = { [K in MessageType]: (params: ParamsOf<K>) => Promise<Reply<ResultOf<K>>> } & {
  onEvent(listener: (e: SequencedEvent) => void): () => void;
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
};

/** The IPC transport (Electron): the same Transport interface over the preload's functions. */
export function createIpcTransport(api: PreloadApi): Transport {
  let delivered = 0;
  return {
    request: (type, params) => (api[type] as (p: typeof params) => Promise<Reply<ResultOf<typeof type>>>)(params),
    onEvent(listener) {
      return api.onEvent((e) => {
        // Main replays its history to a reloaded window; drop what this page already has.
        if (e.seq <= delivered) return;
        delivered = e.seq;
        listener(e);
      });
    },
    onStatus: (listener) => api.onStatus(listener),
  };
}
