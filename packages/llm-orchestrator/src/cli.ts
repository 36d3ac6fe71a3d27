import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';

const commands: readonly CommandSpec[] = [];

/** Runs `yantra-llm` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-llm',
    version,
    description: "LLM providers (Claude, OpenAI, OpenAI-compatible, embedded local) with streaming, retry, circuit breaker, failover, cache and cost.",
    commands,
  };
  return runCli(spec, argv, io);
}
