import { createSocketTransport, type SocketLike } from '../../protocol/client.js';
import type { Transport } from '../../protocol/messages.js';
import { createIpcTransport, type PreloadApi } from './ipc.js';

/**
 * Electron's preload sets `window.yantra`; otherwise this is browser mode and the backend that
 * served the page (at `/t/<token>/`) also answers its WebSocket at `/t/<token>/ws`.
 */
export function selectTransport(): Transport {
  const api = (window as unknown as { yantra?: PreloadApi }).yantra;
  if (api) {
    const transport = createIpcTransport(api);
    void transport.request('events.replay', { afterSeq: 0 });
    return transport;
  }
  const base = new URL('.', window.location.href);
  const wsUrl = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}${base.pathname}ws`;
  return createSocketTransport({ connect: () => new WebSocket(wsUrl) as unknown as SocketLike });
}
