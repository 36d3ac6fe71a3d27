import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '@yantra/shared/node';
import { ResultAsync } from 'neverthrow';
import { LAUNCHER_MODULE } from './launcher-source.js';

// --pid with --fork and --kill-child: when the run is killed, the kernel kills every process in
// the namespace, including ones that called setsid() to leave the process group. A small C
// program forks far more cheaply than a started Python would.
const UNSHARE = ['/usr/bin/unshare', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'] as const;

let hostMountNs: string | undefined;

/** This process's mount namespace, which the launcher must never remount (read once: it does not change). */
function hostMountNamespace(): string {
  if (hostMountNs === undefined) {
    try {
      hostMountNs = readlinkSync('/proc/self/ns/mnt');
    } catch {
      // No /proc: the launcher then cannot tell namespaces apart and refuses to build the sandbox.
      hostMountNs = '';
    }
  }
  return hostMountNs;
}

export type Isolation = 'namespace' | 'env';

export interface SandboxPlan {
  readonly isolation: Isolation;
  readonly workspace: string;
  readonly tempDir: string;
  /** Directories or files made unreadable inside the sandbox (namespace isolation only). */
  readonly hide: readonly string[];
}

/** Resource limits the launcher sets (soft and hard) before anything else runs. */
export interface LaunchLimits {
  readonly memoryMb: number;
  readonly fileSizeMb: number;
  readonly openFiles: number;
}

/** One `python -m MODULE ARGS` the launcher runs in-process. */
export interface LaunchStep {
  readonly module: 'pytest' | 'coverage';
  readonly args: readonly string[];
  /** A file the step writes, deleted when the step fails so a half-written one is never read. */
  readonly removeOnFailure?: string;
}

const MIB = 1024 * 1024;

/**
 * The argv that runs `steps` through the launcher (see launcher-source.ts; `launcher` is the path of
 * its `yantra_launch.py`) as the plan says.
 * Everything reaches the launcher as one JSON argument, never as script text.
 */
export function launchArgv(
  python: string,
  launcher: string,
  plan: SandboxPlan,
  limits: LaunchLimits,
  steps: readonly LaunchStep[],
  probe = false,
): [string, ...string[]] {
  const spec = {
    cwd: plan.workspace,
    limits: { as: limits.memoryMb * MIB, fsize: limits.fileSizeMb * MIB, nofile: limits.openFiles },
    sandbox: plan.isolation === 'namespace' ? { workspace: plan.workspace, tmp: plan.tempDir, hide: plan.hide, hostMountNs: hostMountNamespace() } : null,
    steps,
    ...(probe ? { probe: true } : {}),
  };
  // Imported as a module (not run as a script) so its bytecode is cached between runs. Its
  // directory replaces -c's '' (the cwd, the workspace, which could otherwise shadow it) at the
  // head of sys.path; the launcher then puts the cwd there, as `python -m` would.
  const boot = `import sys; sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p != '']; import ${LAUNCHER_MODULE}; sys.exit(${LAUNCHER_MODULE}.main())`;
  const argv: [string, ...string[]] = [python, '-c', boot, path.dirname(launcher), JSON.stringify(spec)];
  return plan.isolation === 'namespace' ? [...UNSHARE, ...argv] : argv;
}

/**
 * Checks whether this machine lets the launcher build the namespace sandbox (it needs
 * util-linux's unshare and CAP_SYS_ADMIN for the mounts). Answers `env` otherwise, so callers degrade instead of failing.
 */
export function probeIsolation(python: string, launcher: string, tempDir: string, env: Readonly<Record<string, string>>): ResultAsync<Isolation, never> {
  const plan: SandboxPlan = { isolation: 'namespace', workspace: tempDir, tempDir, hide: [] };
  const limits: LaunchLimits = { memoryMb: 4096, fileSizeMb: 512, openFiles: 1024 };
  return runProcess({ argv: launchArgv(python, launcher, plan, limits, [], true), cwd: tempDir, env, timeoutMs: 20_000 })
    .map((r): Isolation => (r.exitCode === 0 && r.stdout.includes('yantra-sandbox-ok') ? 'namespace' : 'env'))
    .orElse(() => ResultAsync.fromSafePromise<Isolation, never>(Promise.resolve('env')));
}
