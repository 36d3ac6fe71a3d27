import CDP from 'chrome-remote-interface';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import { makeError } from '@yantra/shared';
import { BrowserFailure } from './errors.js';

export type Commands = ProtocolMapping.Commands;
export type Method = keyof Commands & string;
export type Params<M extends Method> = Commands[M]['paramsType'] extends [infer P] ? P : Commands[M]['paramsType'] extends [(infer P)?] ? P : never;
export type Returns<M extends Method> = Commands[M]['returnType'];

export type EventHandler = (method: string, params: Record<string, unknown>) => void;

/** One WebSocket to the browser; page targets are reached through flat sessions on it. */
export interface CdpConnection {
  send<M extends Method>(method: M, params?: Params<M>, sessionId?: string, timeoutMs?: number): Promise<Returns<M>>;
  /** Routes events of one session to a handler; returns the unsubscribe function. */
  subscribe(sessionId: string, handler: EventHandler): () => void;
  readonly disconnected: Promise<void>;
  isOpen(): boolean;
  close(): Promise<void>;
}

export async function connectCdp(wsEndpoint: string, defaultTimeoutMs: number): Promise<CdpConnection> {
  // `local: true` uses the bundled protocol description instead of fetching it from the browser.
  const client = await CDP({ target: wsEndpoint, local: true });
  const handlers = new Map<string, EventHandler>();
  // Calls in flight fail at once when the socket drops, instead of waiting for their timeout.
  const inFlight = new Set<(e: BrowserFailure) => void>();
  let open = true;
  let markDisconnected: () => void = () => {};
  const disconnected = new Promise<void>((resolve) => {
    markDisconnected = resolve;
  });
  const crashed = () =>
    new BrowserFailure(makeError('browser_crashed', 'the browser connection closed (browser crashed or was killed)', { retryable: true as const }));
  const drop = () => {
    open = false;
    for (const reject of inFlight) reject(crashed());
    inFlight.clear();
    markDisconnected();
  };
  client.on('disconnect', drop);
  client.on('event', (message) => {
    if (message.sessionId === undefined) return;
    handlers.get(message.sessionId)?.(message.method, message.params as Record<string, unknown>);
  });

  return {
    send<M extends Method>(method: M, params?: Params<M>, sessionId?: string, timeoutMs = defaultTimeoutMs): Promise<Returns<M>> {
      if (!open) return Promise.reject(crashed());
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BrowserFailure(
                makeError('timeout', `${method} did not answer within ${timeoutMs} ms`, {
                  retryable: true as const,
                  operation: method,
                  timeoutMs,
                }),
              ),
            ),
          timeoutMs,
        );
      });
      let rejectLost: (e: BrowserFailure) => void = () => {};
      const lost = new Promise<never>((_, reject) => {
        rejectLost = reject;
      });
      inFlight.add(rejectLost);
      const call = (client.send as (m: string, p?: object, s?: string) => Promise<Returns<M>>)(method, params ?? {}, sessionId).catch(
        (e: unknown) => {
          if (!open) throw crashed();
          throw new BrowserFailure(
            makeError('protocol', `${method}: ${e instanceof Error ? e.message : String(e)}`, { retryable: false as const, method }),
          );
        },
      );
      return Promise.race([call, timeout, lost]).finally(() => {
        clearTimeout(timer);
        inFlight.delete(rejectLost);
      });
    },
    subscribe(sessionId, handler) {
      handlers.set(sessionId, handler);
      return () => handlers.delete(sessionId);
    },
    disconnected,
    isOpen: () => open,
    close: async () => {
      if (!open) return;
      await client.close().catch(() => {});
      drop();
    },
  };
}
