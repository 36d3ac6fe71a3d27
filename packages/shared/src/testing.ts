import type { CliIO } from './cli-kit.js';

/** An in-memory CliIO for running a CLI in-process in tests. */
export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

export function captureIO(env: NodeJS.ProcessEnv = {}, cwd: string = process.cwd()): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env,
    cwd,
    interactive: false,
    out: () => out,
    err: () => err,
  };
}
