import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Failures the fake server can inject, each in the real wire format of the API called. */
export type FakeFault =
  /** HTTP 500 with an `api_error` / `server_error` body. */
  | 'server_error'
  /** Anthropic: HTTP 529 `overloaded_error`; OpenAI: HTTP 503. */
  | 'overloaded'
  /** HTTP 429 with a `retry-after` header (`retryAfterS`, default 1). */
  | 'rate_limited'
  /** HTTP 401. */
  | 'auth'
  /** HTTP 400 `invalid_request_error`. */
  | 'bad_request'
  /** HTTP 400 saying the prompt is too long (`context_length_exceeded` for OpenAI). */
  | 'context_too_long'
  /** The TCP connection is destroyed before any response. */
  | 'reset'
  /** No response at all until the client gives up (or the server closes). */
  | 'hang'
  /** HTTP 200 whose JSON (or SSE data) does not parse. */
  | 'malformed'
  /** A streamed reply that starts, then the connection is destroyed mid-way. */
  | 'cut'
  /** A streamed reply that starts, then an in-stream error event (`overloaded_error`) ends it. */
  | 'stream_overloaded';

export interface FakeReply {
  readonly text: string;
  /** Token counts reported; defaults estimate 4 characters per token. */
  readonly usage?: {
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly cacheReadTokens?: number;
    readonly cacheWriteTokens?: number;
  };
  /** Anthropic spelling; mapped for OpenAI (`end_turn` → `stop`, `max_tokens` → `length`). Default `end_turn`. */
  readonly stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence';
  /** Characters per streamed delta. Default 8. */
  readonly chunkSize?: number;
  /** Wait before answering. */
  readonly delayMs?: number;
}

export interface FakeFaultStep {
  readonly fault: FakeFault;
  /** For `rate_limited`: the `retry-after` header in seconds. Default 1. */
  readonly retryAfterS?: number;
  readonly message?: string;
  readonly delayMs?: number;
}

export type FakeStep = FakeReply | FakeFaultStep;

/** What the server received, in order. */
export interface FakeRequest {
  readonly api: 'anthropic' | 'openai';
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Record<string, unknown>;
  readonly model: string;
  readonly stream: boolean;
  /** The text of the last user message, for scripting by content. */
  readonly prompt: string;
}

export interface FakeLlmServerOptions {
  /**
   * A queue of steps (one per request, in order) or a function of the request. When the queue is
   * empty the server answers with `whenExhausted` (default: a 500 saying the script is exhausted).
   */
  readonly script?: readonly FakeStep[] | ((request: FakeRequest) => FakeStep | Promise<FakeStep>);
  readonly whenExhausted?: FakeStep;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>`: the Anthropic SDK's `baseURL`. */
  readonly url: string;
  /** Same as `url`. */
  readonly anthropicBaseUrl: string;
  /** `<url>/v1`: the OpenAI SDK's `baseURL`. */
  readonly openaiBaseUrl: string;
  /** Every request received, in order (including ones answered with a fault). */
  readonly requests: FakeRequest[];
  /** Appends steps to the queue. */
  push(...steps: FakeStep[]): void;
  /** Stops listening and destroys open connections (hung requests included). */
  close(): Promise<void>;
}

function isFault(step: FakeStep): step is FakeFaultStep {
  return 'fault' in step;
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as { role?: unknown; content?: unknown }[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((c: { text?: unknown }) => (typeof c.text === 'string' ? c.text : '')).join('');
    }
  }
  return '';
}

function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

interface ErrorShape {
  status: number;
  anthropicType: string;
  openaiType: string;
  openaiCode: string | null;
  message: string;
}

function errorShape(step: FakeFaultStep, api: 'anthropic' | 'openai'): ErrorShape | undefined {
  switch (step.fault) {
    case 'server_error':
      return { status: 500, anthropicType: 'api_error', openaiType: 'server_error', openaiCode: null, message: step.message ?? 'Internal server error' };
    case 'overloaded':
      return {
        status: api === 'anthropic' ? 529 : 503,
        anthropicType: 'overloaded_error',
        openaiType: 'server_error',
        openaiCode: null,
        message: step.message ?? 'Overloaded',
      };
    case 'rate_limited':
      return { status: 429, anthropicType: 'rate_limit_error', openaiType: 'requests', openaiCode: 'rate_limit_exceeded', message: step.message ?? 'Rate limit reached' };
    case 'auth':
      return { status: 401, anthropicType: 'authentication_error', openaiType: 'invalid_request_error', openaiCode: 'invalid_api_key', message: step.message ?? 'invalid x-api-key' };
    case 'bad_request':
      return { status: 400, anthropicType: 'invalid_request_error', openaiType: 'invalid_request_error', openaiCode: null, message: step.message ?? 'messages: field required' };
    case 'context_too_long':
      return {
        status: 400,
        anthropicType: 'invalid_request_error',
        openaiType: 'invalid_request_error',
        openaiCode: 'context_length_exceeded',
        message:
          step.message ??
          (api === 'anthropic'
            ? 'prompt is too long: 250000 tokens > 200000 maximum'
            : "This model's maximum context length is 128000 tokens. However, your messages resulted in 250000 tokens."),
      };
    default:
      return undefined;
  }
}

function sendError(res: ServerResponse, api: 'anthropic' | 'openai', shape: ErrorShape, retryAfterS?: number): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfterS !== undefined) headers['retry-after'] = String(retryAfterS);
  if (api === 'anthropic') headers['request-id'] = `req_fake_${Date.now()}`;
  const body =
    api === 'anthropic'
      ? { type: 'error', error: { type: shape.anthropicType, message: shape.message } }
      : { error: { message: shape.message, type: shape.openaiType, param: null, code: shape.openaiCode } };
  res.writeHead(shape.status, headers).end(JSON.stringify(body));
}

function sse(res: ServerResponse, event: string | undefined, data: unknown): void {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`);
}

function anthropicEvents(reply: FakeReply, model: string, prompt: string): [string, unknown][] {
  const input = reply.usage?.inputTokens ?? estimate(prompt);
  const output = reply.usage?.outputTokens ?? estimate(reply.text);
  const usage = {
    input_tokens: input,
    output_tokens: 1,
    cache_creation_input_tokens: reply.usage?.cacheWriteTokens ?? 0,
    cache_read_input_tokens: reply.usage?.cacheReadTokens ?? 0,
  };
  const events: [string, unknown][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage },
      },
    ],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }],
  ];
  for (const part of chunks(reply.text, reply.chunkSize ?? 8)) {
    events.push(['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } }]);
  }
  events.push(
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      { type: 'message_delta', delta: { stop_reason: reply.stopReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: output } },
    ],
    ['message_stop', { type: 'message_stop' }],
  );
  return events;
}

function anthropicMessage(reply: FakeReply, model: string, prompt: string): unknown {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: reply.text }],
    stop_reason: reply.stopReason ?? 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.inputTokens ?? estimate(prompt),
      output_tokens: reply.usage?.outputTokens ?? estimate(reply.text),
      cache_creation_input_tokens: reply.usage?.cacheWriteTokens ?? 0,
      cache_read_input_tokens: reply.usage?.cacheReadTokens ?? 0,
    },
  };
}

function openaiFinish(reason: FakeReply['stopReason']): string {
  return reason === 'max_tokens' ? 'length' : 'stop';
}

function openaiUsage(reply: FakeReply, prompt: string): unknown {
  const cached = reply.usage?.cacheReadTokens ?? 0;
  const input = (reply.usage?.inputTokens ?? estimate(prompt)) + cached;
  const output = reply.usage?.outputTokens ?? estimate(reply.text);
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: cached } };
}

function openaiChunks(reply: FakeReply, model: string, prompt: string, includeUsage: boolean): unknown[] {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const out: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  for (const part of chunks(reply.text, reply.chunkSize ?? 8)) {
    out.push({ ...base, choices: [{ index: 0, delta: { content: part }, finish_reason: null }] });
  }
  out.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: openaiFinish(reply.stopReason) }] });
  if (includeUsage) out.push({ ...base, choices: [], usage: openaiUsage(reply, prompt) });
  return out;
}

function openaiCompletion(reply: FakeReply, model: string, prompt: string): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: openaiFinish(reply.stopReason) }],
    usage: openaiUsage(reply, prompt),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A local stand-in for the Anthropic Messages and OpenAI Chat Completions APIs, on 127.0.0.1 and
 * a random port, for tests: point the real SDKs at `anthropicBaseUrl` / `openaiBaseUrl`.
 *
 * @example
 * const server = await startFakeLlmServer({ script: [{ fault: 'overloaded' }, { text: 'hello' }] });
 * // ... run code against server.url ...
 * expect(server.requests).toHaveLength(2);
 * await server.close();
 */
export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const queue: FakeStep[] = Array.isArray(options.script) ? [...options.script] : [];
  const scriptFn = typeof options.script === 'function' ? options.script : undefined;
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const exhausted: FakeStep = options.whenExhausted ?? { fault: 'server_error', message: 'fake LLM server: script exhausted' };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api = path.endsWith('/messages') ? 'anthropic' : path.endsWith('/chat/completions') ? 'openai' : undefined;
    const raw = await readBody(req);
    if (req.method !== 'POST' || api === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendError(res, api, { status: 400, anthropicType: 'invalid_request_error', openaiType: 'invalid_request_error', openaiCode: null, message: 'body is not JSON' });
      return;
    }
    const request: FakeRequest = {
      api,
      path,
      headers: { ...req.headers },
      body,
      model: typeof body['model'] === 'string' ? body['model'] : '',
      stream: body['stream'] === true,
      prompt: lastUserText(body),
    };
    requests.push(request);
    const step = scriptFn ? await scriptFn(request) : (queue.shift() ?? exhausted);
    if (step.delayMs) await wait(step.delayMs);

    if (isFault(step)) {
      const shape = errorShape(step, api);
      if (shape) return sendError(res, api, shape, step.fault === 'rate_limited' ? (step.retryAfterS ?? 1) : undefined);
      switch (step.fault) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return;
        case 'malformed':
          if (request.stream) {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            if (api === 'anthropic') sse(res, 'message_start', '{"type":"message_start","message":{"id":');
            else sse(res, undefined, '{"id":"chatcmpl-fake","choices":[{');
            res.end();
          } else {
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "broken", "content": [');
          }
          return;
        case 'stream_overloaded': {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const reply: FakeReply = { text: 'This reply is interrupted by an error event.' };
          const error = { type: 'overloaded_error', message: 'Overloaded' };
          if (api === 'anthropic') {
            for (const [event, data] of anthropicEvents(reply, request.model, request.prompt).slice(0, 4)) sse(res, event, data);
            sse(res, 'error', { type: 'error', error });
          } else {
            for (const data of openaiChunks(reply, request.model, request.prompt, false).slice(0, 2)) sse(res, undefined, data);
            sse(res, undefined, { error });
          }
          res.end();
          return;
        }
        case 'cut': {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const reply: FakeReply = { text: 'This reply is cut off mid-way through the stream.' };
          if (api === 'anthropic') {
            for (const [event, data] of anthropicEvents(reply, request.model, request.prompt).slice(0, 4)) sse(res, event, data);
          } else {
            for (const data of openaiChunks(reply, request.model, request.prompt, false).slice(0, 2)) sse(res, undefined, data);
          }
          // Let the partial stream reach the client before the connection dies.
          await wait(20);
          req.socket.destroy();
          return;
        }
        default:
          return;
      }
    }

    if (!request.stream) {
      const json = api === 'anthropic' ? anthropicMessage(step, request.model, request.prompt) : openaiCompletion(step, request.model, request.prompt);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (api === 'anthropic') {
      for (const [event, data] of anthropicEvents(step, request.model, request.prompt)) sse(res, event, data);
    } else {
      const options = body['stream_options'] as { include_usage?: unknown } | undefined;
      for (const data of openaiChunks(step, request.model, request.prompt, options?.include_usage === true)) sse(res, undefined, data);
      sse(res, undefined, '[DONE]');
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake server failure: ${String(e)}` } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    push: (...steps) => {
      queue.push(...steps);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
