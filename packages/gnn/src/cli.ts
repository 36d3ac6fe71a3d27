import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';

const commands: readonly CommandSpec[] = [];

/** Runs `yantra-gnn` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-gnn',
    version,
    description: "The code dependency graph engine for Python projects: parse, resolve, persist, query, validate changes and rank context.",
    commands,
  };
  return runCli(spec, argv, io);
}
