import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';

const commands: readonly CommandSpec[] = [];

/** Runs `yantra-git` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-git',
    version,
    description: "Git operations, Conventional Commit messages, the validated commit gate, safe undo and an MCP server.",
    commands,
  };
  return runCli(spec, argv, io);
}
