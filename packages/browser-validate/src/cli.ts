import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';

const commands: readonly CommandSpec[] = [];

/** Runs `yantra-browser` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-browser',
    version,
    description: "Headless Chromium checks of UI code over the DevTools Protocol: console, exceptions, network, screenshots.",
    commands,
  };
  return runCli(spec, argv, io);
}
