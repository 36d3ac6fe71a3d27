import { spawn } from 'node:child_process';
import { ResultAsync } from 'neverthrow';
import { describeUnknown, makeError, type YantraError } from './errors.js';

/** Resource limits applied with the shell's `ulimit` before the program starts. */
export interface ProcessLimits {
  /** Address-space limit in MiB (`ulimit -v`). */
  readonly memoryMb?: number;
  /** Largest file the process may write, in MiB (`ulimit -f`). */
  readonly fileSizeMb?: number;
  /** Open file descriptors (`ulimit -n`). */
  readonly openFiles?: number;
}

export interface RunOptions {
  /** Program and arguments; never a shell string. */
  readonly argv: readonly [string, ...string[]];
  /** Working directory, required: nothing runs in an implicit cwd. */
  readonly cwd: string;
  /** The complete environment of the child. Build it with {@link scrubEnv}. Default: a scrubbed copy of `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Wall-clock limit; on expiry the whole process group is killed. Default: none. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly stdin?: string;
  readonly limits?: ProcessLimits;
  /** Output kept per stream; the rest is dropped and `truncated` set. Default 16 MiB. */
  readonly maxOutputBytes?: number;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly truncated: boolean;
}

export type ProcessError = YantraError<'spawn_failed'> & { readonly program: string };

const DEFAULT_ALLOWED_ENV = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TERM', 'TMPDIR', 'SYSTEMROOT'];

export interface ScrubEnvOptions {
  /** Variables copied from the source when present. Default: PATH, locale, TZ, TERM, TMPDIR. */
  readonly allow?: readonly string[];
  /** Variables set explicitly (for example `HOME` pointing at a temp dir). */
  readonly set?: Readonly<Record<string, string>>;
}

/**
 * Builds a child environment from an allow-list: nothing else passes, so API keys,
 * tokens and `YANTRA_*` settings never reach generated code.
 */
export function scrubEnv(source: NodeJS.ProcessEnv, options: ScrubEnvOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of options.allow ?? DEFAULT_ALLOWED_ENV) {
    const value = source[key];
    if (value !== undefined) out[key] = value;
  }
  return { ...out, ...options.set };
}

function limitPrefix(limits: ProcessLimits | undefined): string[] {
  if (!limits) return [];
  const parts: string[] = [];
  if (limits.memoryMb !== undefined) parts.push(`ulimit -v ${Math.floor(limits.memoryMb * 1024)}`);
  if (limits.fileSizeMb !== undefined) parts.push(`ulimit -f ${Math.floor(limits.fileSizeMb * 2048)}`);
  if (limits.openFiles !== undefined) parts.push(`ulimit -n ${Math.floor(limits.openFiles)}`);
  if (parts.length === 0) return [];
  // The argv is passed as positional parameters, never interpolated into the script.
  return ['/bin/sh', '-c', `${parts.join(' && ')} && exec "$@"`, 'yantra-limited'];
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Runs a program in its own process group with an optional timeout, limits and a scrubbed
 * environment. A timeout or cancellation kills the whole group and is reported in the result;
 * only a failure to start is an error.
 */
export function runProcess(options: RunOptions): ResultAsync<RunResult, ProcessError> {
  const program = options.argv[0];
  const maxBytes = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const started = performance.now();
  const promise = new Promise<RunResult>((resolve, reject) => {
    const argv = [...limitPrefix(options.limits), ...options.argv];
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? scrubEnv(process.env),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    let cancelled = false;
    const collect = (chunks: Buffer[], size: () => number, add: (n: number) => void) => (chunk: Buffer) => {
      const room = maxBytes - size();
      if (room <= 0) {
        truncated = true;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part !== chunk) truncated = true;
      chunks.push(part);
      add(part.length);
    };
    child.stdout.on('data', collect(out, () => outBytes, (n) => (outBytes += n)));
    child.stderr.on('data', collect(err, () => errBytes, (n) => (errBytes += n)));
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');

    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup(child.pid);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Reap anything the program left behind in its group, so no stray holds the pipes.
      killGroup(child.pid);
    });
    child.on('close', () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: performance.now() - started,
        timedOut,
        cancelled,
        truncated,
      });
    });
  });
  return ResultAsync.fromPromise(promise, (cause) =>
    makeError('spawn_failed', `cannot start ${program}: ${describeUnknown(cause)}`, { program }),
  );
}
