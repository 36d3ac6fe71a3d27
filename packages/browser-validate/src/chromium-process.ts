import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { makeError, type Logger } from '@yantra/shared';
import { scrubEnv } from '@yantra/shared/node';
import { BrowserFailure } from './errors.js';
import { SUPERVISOR_SCRIPT } from './launcher-script.js';

/**
 * The flags every launch uses. The resolver rule stops Chromium's stray DNS lookups; besides
 * `localhost` it also exempts the literal `127.0.0.1`, which the rule would otherwise map to
 * NOTFOUND (dev servers are often given as `http://127.0.0.1:PORT`).
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--no-default-browser-check',
  '--disable-crash-reporter',
  '--disable-breakpad',
  '--mute-audio',
  '--hide-scrollbars',
  '--remote-debugging-port=0',
];

export interface LaunchOptions {
  readonly chromePath: string;
  readonly pythonPath: string;
  readonly launchTimeoutMs: number;
  readonly logger: Logger;
}

/** A running Chromium under its supervisor. */
export interface ChromiumProcess {
  readonly wsEndpoint: string;
  /** The supervisor: leader of the process group that holds the browser. */
  readonly supervisorPid: number;
  readonly browserPid: number;
  readonly userDataDir: string;
  /** Resolves when the supervisor has exited (the browser and its children are gone). */
  readonly exited: Promise<void>;
  /** Shuts the browser down gracefully, then kills whatever is left; idempotent. */
  stop(): Promise<void>;
}

const STDERR_TAIL = 4096;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Starts Chromium headless with a fresh profile and waits for its DevTools endpoint. */
export async function launchChromium(options: LaunchOptions): Promise<ChromiumProcess> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'yantra-chromium-'));
  const argv = ['-I', '-c', SUPERVISOR_SCRIPT, userDataDir, options.chromePath, ...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, 'about:blank'];
  let child: ChildProcess;
  try {
    child = spawn(options.pythonPath, argv, {
      cwd: userDataDir,
      // HOME points into the temp profile so crash reports and caches never touch the user's home.
      env: scrubEnv(process.env, { set: { HOME: userDataDir } }),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (cause) {
    await rm(userDataDir, { recursive: true, force: true });
    throw launchFailure(options.chromePath, `cannot start the supervisor ${options.pythonPath}: ${String(cause)}`, '');
  }
  const stdin = child.stdin as Writable;
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  stdin.on('error', () => {});
  let stderrTail = '';
  let stdoutText = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });

  const stop = once(async () => {
    // The child was unref'd; hold the event loop open until it has really gone.
    child.ref();
    // A `q` asks the supervisor for a graceful stop; it reaps every descendant before exiting.
    stdin.end('q\n');
    const graceful = await Promise.race([exited.then(() => true), delay(4000).then(() => false)]);
    if (!graceful) options.logger.warn('browser supervisor did not stop in time; killing its group');
    if (child.pid !== undefined) killGroup(child.pid);
    await exited;
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  });

  try {
    const ready = await new Promise<{ ws: string; supervisorPid: number; browserPid: number }>((resolve, reject) => {
      let ws: string | undefined;
      let pids: { supervisorPid: number; browserPid: number } | undefined;
      const maybeDone = () => {
        if (ws !== undefined && pids !== undefined) {
          clearTimeout(timer);
          resolve({ ws, ...pids });
        }
      };
      const timer = setTimeout(
        () => reject(launchFailure(options.chromePath, `no DevTools endpoint within ${options.launchTimeoutMs} ms`, stderrTail, true)),
        options.launchTimeoutMs,
      );
      stderr.on('data', (chunk: Buffer) => {
        stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderrTail);
        if (m?.[1] !== undefined && ws === undefined) {
          ws = m[1];
          maybeDone();
        }
      });
      stdout.on('data', (chunk: Buffer) => {
        stdoutText += chunk.toString('utf8');
        const m = /supervisor (\d+) browser (\d+)/.exec(stdoutText);
        if (m && pids === undefined) {
          pids = { supervisorPid: Number(m[1]), browserPid: Number(m[2]) };
          maybeDone();
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(launchFailure(options.chromePath, `cannot start the supervisor ${options.pythonPath}: ${e.message}`, stderrTail));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(launchFailure(options.chromePath, `browser exited during startup (code ${String(code)})`, stderrTail));
      });
    });
    // Neither the child nor its pipes keep Node alive: if the caller forgets close(), the
    // supervisor sees EOF on stdin when Node exits and stops the browser.
    child.unref();
    for (const s of [stdin, stdout, stderr] as unknown as { unref?: () => void }[]) s.unref?.();
    return { wsEndpoint: ready.ws, supervisorPid: ready.supervisorPid, browserPid: ready.browserPid, userDataDir, exited, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function launchFailure(chromePath: string, message: string, stderrTail: string, retryable = false): BrowserFailure {
  const tail = stderrTail.trim().slice(-1000);
  return new BrowserFailure(
    makeError('launch_failed', `cannot launch ${chromePath}: ${message}`, {
      retryable,
      chromePath,
      ...(tail === '' ? {} : { stderrTail: tail }),
    }),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
