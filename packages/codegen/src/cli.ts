import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec } from '@yantra/shared/cli';
import { commands } from './cli/commands.js';

/** Runs `yantra` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra',
    version,
    description: 'The Yantra main job: from a plain-language request to a validated, committed change.',
    commands,
  };
  return runCli(spec, argv, io);
}
