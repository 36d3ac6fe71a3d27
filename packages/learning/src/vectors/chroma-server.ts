import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '@yantra/shared';
import { scrubEnv } from '@yantra/shared/node';

/** A Chroma server this process started and owns. */
export interface ChromaServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** False once the process has exited, for whatever reason. */
  alive(): boolean;
  /** Stops the whole process group: SIGINT, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface StartChromaOptions {
  /** Persistence folder, for example `<project>/.yantra/chroma`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** How long to wait for the heartbeat. Default 20 s. */
  readonly startTimeoutMs?: number;
}

function chromaCli(): string {
  const require = createRequire(import.meta.url);
  // The package's CommonJS entry sits in dist/cjs; its `chroma` bin is dist/cli.mjs.
  const cli = path.resolve(path.dirname(require.resolve('chromadb')), '..', 'cli.mjs');
  if (!existsSync(cli)) throw new Error(`the chromadb package has no server CLI at ${cli}`);
  return cli;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when the server answers its heartbeat within `timeoutMs`. */
export async function heartbeat(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * Starts the Chroma server bundled with the chromadb package on 127.0.0.1 and a free port, with
 * a scrubbed environment and telemetry off, in its own process group; waits for its heartbeat.
 * The group is killed when this process exits, even if `stop` is never called.
 */
export async function startChromaServer(options: StartChromaOptions): Promise<ChromaServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const cli = chromaCli();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [cli, 'run', '--path', options.dataDir, '--host', '127.0.0.1', '--port', String(port)], {
    cwd: options.dataDir,
    env: scrubEnv(process.env, {
      allow: ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'],
      set: { ANONYMIZED_TELEMETRY: 'False', CHROMA_TELEMETRY_ENABLED: 'false', NO_COLOR: '1' },
    }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);
  // A forgotten stop() must not keep the caller's process alive.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (exited) return;
    // The chroma CLI exits cleanly and at once on SIGINT; SIGTERM takes about a second.
    killGroup(child, 'SIGINT');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 2000);
    await exitedPromise;
    clearTimeout(timer);
    // Whatever the server spawned in its group goes too.
    killGroup(child, 'SIGKILL');
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (!(await heartbeat(url, 500))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const why = exited ? `exited with code ${String(child.exitCode)}` : 'did not answer its heartbeat in time';
      throw new Error(`the Chroma server ${why}: ${tail.replace(/\x1b\[[0-9;]*m/g, '').trim().slice(-600)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  options.logger.debug('chroma server started', { url, pid: child.pid, dataDir: options.dataDir });
  return { url, port, pid: child.pid as number, alive: () => !exited, stop };
}
