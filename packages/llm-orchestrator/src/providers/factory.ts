import type { LlmConfig } from '../config.js';
import type { ProviderId } from '../errors.js';
import { createAnthropicProvider } from './anthropic.js';
import { createLocalProvider } from './local.js';
import { createOpenAIProvider } from './openai.js';
import type { LlmProvider } from './provider.js';

/** Builds one provider from the resolved config. Keys are revealed only here, into the SDK client. */
export function createProvider(id: ProviderId, config: LlmConfig): LlmProvider {
  switch (id) {
    case 'anthropic':
      return createAnthropicProvider({
        apiKey: config.anthropic.apiKey?.reveal() ?? '',
        ...(config.anthropic.baseUrl ? { baseUrl: config.anthropic.baseUrl } : {}),
        model: config.anthropic.model,
        timeoutMs: config.timeoutMs,
      });
    case 'openai':
    case 'compatible': {
      const c = config[id];
      return createOpenAIProvider({
        id,
        ...(c.apiKey ? { apiKey: c.apiKey.reveal() } : {}),
        ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
        model: c.model,
        timeoutMs: config.timeoutMs,
      });
    }
    case 'local':
      return createLocalProvider({
        modelPath: config.local.modelPath,
        contextSize: config.local.contextSize,
        threads: config.local.threads,
        timeoutMs: config.timeoutMs,
      });
  }
}
