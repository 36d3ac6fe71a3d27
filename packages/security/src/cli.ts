import { createRequire } from 'node:module';
import { processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';

const commands: readonly CommandSpec[] = [];

/** Runs `yantra-security` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra-security',
    version,
    description: "Offline SAST (semgrep with Yantra rules), secret scanning, dependency audit, auto-fix and SARIF.",
    commands,
  };
  return runCli(spec, argv, io);
}
