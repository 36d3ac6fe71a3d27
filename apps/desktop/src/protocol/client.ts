import {
  backendError,
  type ConnectionStatus,
  type MessageType,
  type ParamsOf,
  type Reply,
  type ResultOf,
  type SequencedEvent,
  type ServerFrame,
  type Transport,
} from './messages.js';

/** The part of a WebSocket the client uses; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface SocketTransportOptions {
  /** Opens a new socket to the backend's `/t/<token>/ws`. */
  readonly connect: () => SocketLike;
  /** First reconnect delay; it doubles up to `maxRetryMs`. Default 200 ms. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

export interface SocketTransport extends Transport {
  /** The highest event number delivered so far. */
  lastSeq(): number;
  /** Closes the socket and stops reconnecting. */
  close(): void;
}

/**
 * A Transport over a WebSocket that survives drops: it reconnects with backoff and, on every
 * open, asks the backend to replay the events after the last one it delivered. Events reach
 * listeners in sequence order, each exactly once, whatever order the frames arrive in.
 */
export function createSocketTransport(options: SocketTransportOptions): SocketTransport {
  const retryMs = options.retryMs ?? 200;
  const maxRetryMs = options.maxRetryMs ?? 3_000;
  const eventListeners = new Set<(e: SequencedEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const queue: string[] = [];
  // Events that arrived ahead of a gap, waiting for the replay to fill it.
  const ahead = new Map<number, SequencedEvent>();
  let delivered = 0;
  let nextId = 1;
  let socket: SocketLike | undefined;
  let open = false;
  let closed = false;
  let delay = retryMs;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setStatus = (s: ConnectionStatus) => {
    for (const l of statusListeners) l(s);
  };

  const deliver = (e: SequencedEvent) => {
    if (e.seq <= delivered) return;
    ahead.set(e.seq, e);
    for (let next = ahead.get(delivered + 1); next; next = ahead.get(delivered + 1)) {
      ahead.delete(next.seq);
      delivered = next.seq;
      for (const l of eventListeners) l(next);
    }
  };

  /** After a replay the gap cannot fill any more (the log dropped it): move on in order. */
  const skipGap = () => {
    while (ahead.size > 0) {
      const first = Math.min(...ahead.keys());
      delivered = first - 1;
      deliver(ahead.get(first) as SequencedEvent);
    }
  };

  const sendRaw = <K extends MessageType>(type: K, params: ParamsOf<K>): Promise<Reply<ResultOf<K>>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (r: Reply<unknown>) => void);
      const text = JSON.stringify({ id, type, params });
      if (open && socket) socket.send(text);
      else queue.push(text);
    });

  const onFrame = (frame: ServerFrame) => {
    if (frame.kind === 'event') deliver({ seq: frame.seq, event: frame.event });
    else if (frame.kind === 'response') {
      const resolve = pending.get(frame.id);
      pending.delete(frame.id);
      resolve?.(frame.reply);
    }
  };

  const connect = () => {
    if (closed) return;
    setStatus('connecting');
    const s = options.connect();
    socket = s;
    s.onopen = () => {
      open = true;
      delay = retryMs;
      setStatus('open');
      // Replay first, so that the backlog precedes any request queued while offline.
      void sendRaw('events.replay', { afterSeq: delivered }).then((reply) => {
        if (reply.ok) skipGap();
      });
      for (const text of queue.splice(0)) s.send(text);
    };
    s.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      onFrame(frame);
    };
    s.onerror = () => undefined;
    s.onclose = () => {
      if (socket !== s) return;
      open = false;
      socket = undefined;
      // Requests in flight got no answer; they fail as retryable rather than hang.
      for (const [id, resolve] of pending) {
        if (queue.length === 0 || !queue.some((q) => q.includes(`"id":${id},`))) {
          pending.delete(id);
          resolve({ ok: false, error: backendError('disconnected', 'the connection to the backend dropped', true) });
        }
      }
      setStatus('closed');
      if (!closed) {
        timer = setTimeout(connect, delay);
        delay = Math.min(maxRetryMs, delay * 2);
      }
    };
  };

  connect();

  return {
    request: sendRaw,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    lastSeq: () => delivered,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      socket?.close();
    },
  };
}
