import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveUserDirs, type Logger } from '@yantra/shared';
import { UsageError } from '@yantra/shared/cli';
import { createOrchestrator, loadLlmConfig, PROVIDER_IDS, type ProviderId } from '@yantra/llm-orchestrator';
import { okAsync, ResultAsync } from 'neverthrow';
import type { Complete } from '../generation/prompt.js';

export interface LlmPort {
  readonly complete: Complete;
  readonly close: () => void;
}

/**
 * `replay:DIR` answers with DIR/reply-1.md, reply-2.md, ... in turn (repeating the last), for
 * demos and reproducible runs. Anything else goes through `@yantra/llm-orchestrator` with the
 * user's LLM config: a provider id pins that provider, no provider uses the configured chain.
 */
export async function llmPortFor(provider: string | undefined, env: NodeJS.ProcessEnv, cwd: string, logger: Logger): Promise<LlmPort> {
  if (provider?.startsWith('replay:')) {
    const dir = path.resolve(cwd, provider.slice('replay:'.length));
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^reply-\d+\.md$/.test(n));
    names.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
    if (names.length === 0) throw new UsageError(`--provider replay: ${dir} has no reply-N.md files`);
    const replies = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
    let calls = 0;
    return {
      complete: () => {
        calls += 1;
        return okAsync(replies[Math.min(calls, replies.length) - 1] ?? '');
      },
      close: () => {},
    };
  }
  if (provider !== undefined && !PROVIDER_IDS.includes(provider as ProviderId)) {
    throw new UsageError(`--provider must be one of ${PROVIDER_IDS.join(', ')} or replay:DIR`);
  }
  const config = await loadLlmConfig(env, resolveUserDirs(env)).match(
    (c) => c,
    (e) => {
      throw new UsageError(e.message);
    },
  );
  const orchestrator = createOrchestrator({ config, logger });
  return {
    complete: (prompt) =>
      ResultAsync.fromSafePromise(Promise.resolve()).andThen(() =>
        orchestrator
          .complete({
            system: prompt.system,
            prompt: prompt.user,
            maxTokens: 4096,
            ...(provider === undefined ? {} : { provider: provider as ProviderId }),
          })
          .map((c) => c.text),
      ),
    close: () => orchestrator.close(),
  };
}
