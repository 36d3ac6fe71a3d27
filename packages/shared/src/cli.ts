export { runCli, processIO, ok, fail, usage, ExitCode, UsageError } from './cli-kit.js';
export type { CliIO, CliSpec, CommandSpec, CommandContext, CommandOutcome, OptionSpec } from './cli-kit.js';
