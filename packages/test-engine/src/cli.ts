import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';
import { benchCommand } from './commands/bench-command.js';
import { generateCommand } from './commands/generate-command.js';
import { runCommand } from './commands/run-command.js';

const commands: readonly CommandSpec[] = [runCommand, generateCommand, benchCommand];

/** Runs `yantra-test` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-test',
    version,
    description: 'Test planning, generation and a sandboxed pytest runner with exact JUnit and coverage results.',
    commands,
  };
  return runCli(spec, argv, io);
}
