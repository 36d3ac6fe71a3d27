import { runProcess } from '@yantra/shared/node';
import { ResultAsync } from 'neverthrow';

/**
 * Runs inside a private mount namespace (as `/bin/sh -c SCRIPT yantra-sandbox ws tmp n hide... argv`):
 * hides secret paths behind empty read-only tmpfs mounts (or /dev/null for files), remounts
 * every mount read-only, gives a fresh /dev/shm, then re-binds the workspace and the run's temp
 * dir read-write and execs the program. Paths arrive as positional parameters, never as script text.
 * `remount,bind` changes only this namespace's copy of each mount, never the host's.
 */
const SANDBOX_SCRIPT = [
  'set -e',
  'ws="$1"; tmp="$2"; n="$3"; shift 3',
  'i=0',
  'while [ "$i" -lt "$n" ]; do',
  '  p="$1"; shift; i=$((i+1))',
  '  if [ -d "$p" ]; then mount -t tmpfs -o ro,size=4k,mode=0555 yantra-hidden "$p"',
  '  elif [ -e "$p" ]; then mount --bind /dev/null "$p"; fi',
  'done',
  "for mp in $(awk '{print $5}' /proc/self/mountinfo); do",
  '  case "$mp" in /proc|/proc/*|/dev/pts) continue;; esac',
  // The root must become read-only or the sandbox is void: a failure there aborts the run.
  '  if [ "$mp" = / ]; then mount -o remount,bind,ro /; else mount -o remount,bind,ro "$mp" 2>/dev/null || true; fi',
  'done',
  'mount -t tmpfs -o size=64m,mode=1777 yantra-shm /dev/shm',
  'mount --bind "$ws" "$ws"; mount -o remount,bind,rw "$ws"',
  'mount --bind "$tmp" "$tmp"; mount -o remount,bind,rw "$tmp"',
  // The cwd still points into the old read-only mount; re-enter the writable bind.
  'cd "$ws"',
  'exec "$@"',
].join('\n');

// --pid with --fork and --kill-child: when the run is killed, the kernel kills every process in
// the namespace, including ones that called setsid() to leave the process group.
const UNSHARE = ['/usr/bin/unshare', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private'] as const;

export type Isolation = 'namespace' | 'env';

export interface SandboxPlan {
  readonly isolation: Isolation;
  readonly workspace: string;
  readonly tempDir: string;
  /** Directories or files made unreadable inside the sandbox (namespace isolation only). */
  readonly hide: readonly string[];
}

/** Wraps an argv so it runs confined as the plan says; `env` isolation returns it unchanged. */
export function confine(plan: SandboxPlan, argv: readonly [string, ...string[]]): [string, ...string[]] {
  if (plan.isolation === 'env') return [...argv];
  return [
    ...UNSHARE,
    '/bin/sh',
    '-c',
    SANDBOX_SCRIPT,
    'yantra-sandbox',
    plan.workspace,
    plan.tempDir,
    String(plan.hide.length),
    ...plan.hide,
    ...argv,
  ];
}

/**
 * Checks whether this machine lets us build the namespace sandbox (it needs CAP_SYS_ADMIN and
 * util-linux's unshare). Answers `env` otherwise, so callers degrade instead of failing.
 */
export function probeIsolation(tempDir: string): ResultAsync<Isolation, never> {
  const plan: SandboxPlan = { isolation: 'namespace', workspace: tempDir, tempDir, hide: [] };
  return runProcess({ argv: confine(plan, ['/bin/sh', '-c', 'echo yantra-sandbox-ok']), cwd: tempDir, timeoutMs: 10_000 })
    .map((r): Isolation => (r.exitCode === 0 && r.stdout.includes('yantra-sandbox-ok') ? 'namespace' : 'env'))
    .orElse(() => ResultAsync.fromSafePromise<Isolation, never>(Promise.resolve('env')));
}
