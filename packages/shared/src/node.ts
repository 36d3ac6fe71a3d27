export { runProcess, scrubEnv } from './process.js';
export type { RunOptions, RunResult, ProcessError, ProcessLimits, ScrubEnvOptions } from './process.js';
