import { access } from 'node:fs/promises';
import { ResultAsync } from 'neverthrow';
import { describeUnknown } from '@yantra/shared';
import type { Llama, LlamaContext, LlamaModel, ChatHistoryItem } from 'node-llama-cpp';
import { providerFailure, type ProviderFailure } from '../errors.js';
import type { StopReason } from '../request.js';
import type { LlmProvider, ProviderCallOptions, ProviderRequest, ProviderResponse } from './provider.js';

export interface LocalProviderOptions {
  /** Path of the GGUF file. */
  readonly modelPath: string;
  /** Tokens of context. Default 2048. */
  readonly contextSize?: number;
  /** CPU threads. Default 2. */
  readonly threads?: number;
  readonly timeoutMs: number;
}

interface Loaded {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
}

/**
 * The model is loaded once per process and shared by every provider instance that names the
 * same file, context size and threads; requests run one at a time on its single sequence.
 */
const loaded = new Map<string, Promise<Loaded>>();
let queue: Promise<unknown> = Promise.resolve();

async function load(modelPath: string, contextSize: number, threads: number): Promise<Loaded> {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, logLevel: 'error' as never, build: 'never' });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize, threads, sequences: 1 });
  return { llama, model, context };
}

function loadOnce(modelPath: string, contextSize: number, threads: number): Promise<Loaded> {
  const key = `${modelPath}|${contextSize}|${threads}`;
  let entry = loaded.get(key);
  if (!entry) {
    entry = load(modelPath, contextSize, threads);
    // A failed load must not poison later attempts (the file may appear after setup runs).
    entry.catch(() => loaded.delete(key));
    loaded.set(key, entry);
  }
  return entry;
}

/** Frees every loaded model (for CLIs and tests that want a clean exit). */
export async function unloadLocalModels(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  for (const entry of all) {
    const l = await entry.catch(() => undefined);
    if (!l) continue;
    await l.context.dispose();
    await l.model.dispose();
    await l.llama.dispose();
  }
}

function mapStop(reason: string): StopReason {
  switch (reason) {
    case 'eogToken':
      return 'end_turn';
    case 'maxTokens':
      return 'max_tokens';
    case 'stopGenerationTrigger':
    case 'customStopTrigger':
      return 'stop_sequence';
    case 'abort':
      return 'cancelled';
    case 'functionCalls':
      return 'tool_use';
    default:
      return 'other';
  }
}

function toHistory(request: ProviderRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = request.system === undefined ? [] : [{ type: 'system', text: request.system }];
  for (const m of request.messages.slice(0, -1)) {
    history.push(m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] });
  }
  return history;
}

/** The embedded model (node-llama-cpp, CPU) behind the same interface as the remote providers. */
export function createLocalProvider(options: LocalProviderOptions): LlmProvider {
  const contextSize = options.contextSize ?? 2048;
  const threads = options.threads ?? 2;
  const model = options.modelPath.split('/').at(-1)?.replace(/\.gguf$/, '') ?? 'local';

  const generate = async (
    context: LlamaContext,
    request: ProviderRequest,
    call: ProviderCallOptions,
    signal: AbortSignal,
  ): Promise<ProviderResponse> => {
    const { LlamaChatSession } = await import('node-llama-cpp');
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      session.setChatHistory(toHistory(request));
      const last = request.messages.at(-1)?.content ?? '';
      const before = sequence.tokenMeter.getState();
      const result = await session.promptWithMeta(last, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        signal,
        stopOnAbortSignal: false,
        ...(request.stopSequences.length > 0 ? { customStopTriggers: [...request.stopSequences] } : {}),
        onTextChunk: call.onText,
      });
      const after = sequence.tokenMeter.getState();
      return {
        text: result.responseText,
        usage: {
          inputTokens: after.usedInputTokens - before.usedInputTokens,
          outputTokens: after.usedOutputTokens - before.usedOutputTokens,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
        },
        stopReason: mapStop(result.stopReason),
      };
    } finally {
      // Both go on every path, aborts included, so the single sequence slot is free for the next request.
      session.dispose({ disposeSequence: false });
      sequence.dispose();
    }
  };

  const complete = (request: ProviderRequest, call: ProviderCallOptions): ResultAsync<ProviderResponse, ProviderFailure> => {
    let cause: 'cancelled' | 'timeout' | undefined;
    const controller = new AbortController();
    const onAbort = () => {
      cause ??= 'cancelled';
      controller.abort();
    };
    const run = async (): Promise<ProviderResponse> => {
      try {
        await access(options.modelPath);
      } catch {
        throw providerFailure('local', 'bad_request', `local model not found: ${options.modelPath}`);
      }
      // One generation at a time. The timeout starts once this request has the loaded model:
      // loading is a one-time cost per process and would otherwise eat the first request's budget.
      const turn = queue.then(async () => {
        const { context } = await loadOnce(options.modelPath, contextSize, threads);
        if (call.signal.aborted) onAbort();
        else call.signal.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(() => {
          cause ??= 'timeout';
          controller.abort();
        }, options.timeoutMs);
        try {
          if (controller.signal.aborted) throw new Error('aborted');
          return await generate(context, request, call, controller.signal);
        } finally {
          clearTimeout(timer);
          call.signal.removeEventListener('abort', onAbort);
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    };
    return ResultAsync.fromPromise(run(), (e): ProviderFailure => {
      if (cause === 'cancelled') return providerFailure('local', 'cancelled', 'request cancelled');
      if (cause === 'timeout') return providerFailure('local', 'timeout', `local model timed out after ${options.timeoutMs} ms`);
      if (typeof e === 'object' && e !== null && 'kind' in e && 'provider' in e) return e as ProviderFailure;
      return providerFailure('local', 'server', `local model failed: ${describeUnknown(e)}`);
    });
  };
  return { id: 'local', model, complete };
}
