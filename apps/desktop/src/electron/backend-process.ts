import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { scrubEnv } from '@yantra/shared/node';

export interface BackendProcess {
  readonly url: string;
  stop(): void;
}

/**
 * Starts the backend as a separate Node process (`yantra-ui <dir> --no-open --json`) and waits
 * for the one line with its URL. A plain Node runs it, because native modules such as
 * better-sqlite3 are built for Node, not for Electron's ABI.
 */
export function startBackendProcess(opts: { node: string; bin: string; dir: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<BackendProcess> {
  const child: ChildProcess = spawn(opts.node, [opts.bin, opts.dir, '--no-open', '--json'], {
    cwd: opts.dir,
    // The backend needs the user's config and cache folders, and nothing else of the shell.
    env: { ...scrubEnv(opts.env), ...pick(opts.env, ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PATH']) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the backend did not print its URL in time'));
    }, opts.timeoutMs ?? 15_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const { url } = JSON.parse(line) as { url: string };
        resolve({ url, stop: () => child.kill('SIGTERM') });
      } catch {
        child.kill();
        reject(new Error(`the backend printed no URL: ${line.slice(0, 200)}`));
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the backend exited with code ${String(code)}`));
    });
  });
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));
}
