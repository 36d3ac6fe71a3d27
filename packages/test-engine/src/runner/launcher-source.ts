/**
 * The Python launcher every test run goes through (imported by a one-line `python -c` boot that
 * puts its directory first on sys.path, see sandbox.ts; its last argument is the spec JSON). It is
 * embedded as text so the built package needs no data files. It replaces a chain of helper
 * processes (`sh` for ulimits, a `sh` script spawning `awk` and one `mount` per mount point, a
 * second interpreter for `coverage json`) with system calls made by the one Python process that
 * then runs the tests:
 *
 * 1. sets the resource limits (address space, file size, open files), soft and hard;
 * 2. namespace isolation only (it then runs as PID 1 under util-linux's `unshare --mount --pid
 *    --fork --kill-child --mount-proc`, so killing the run's process group makes the kernel kill
 *    every process in the namespace, including ones that called setsid()): hides secret paths
 *    behind empty read-only tmpfs mounts (or /dev/null for files), remounts every mount
 *    read-only, mounts a fresh /dev/shm, and re-binds the workspace and the run's temp dir
 *    read-write. It refuses to do so unless it is PID 1 in a mount namespace other than the host's;
 * 3. runs the steps (pytest, or coverage.py around pytest, then `coverage json`) in-process with
 *    `runpy`, exactly as `python -m MODULE ARGS` would, in the workspace as cwd.
 *
 * The exit status is the first step's. A sandbox that cannot be built exits 97 with a message on
 * stderr: the run never goes ahead unconfined when namespace isolation was chosen.
 */
export const LAUNCHER_MODULE = 'yantra_launch';

export const LAUNCHER_SOURCE = String.raw`
import json
import os
import sys

SANDBOX_FAILED = 97

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
              "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}


def fail(message):
    sys.stderr.write("yantra-sandbox: " + message + "\n")
    sys.stderr.flush()
    os._exit(SANDBOX_FAILED)


def set_limits(limits):
    import resource
    for name, key in (("as", "RLIMIT_AS"), ("fsize", "RLIMIT_FSIZE"), ("nofile", "RLIMIT_NOFILE")):
        value = limits.get(name)
        if value is None:
            continue
        which = getattr(resource, key)
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(which, (value, value))


def unescape(field):
    # mountinfo escapes space, tab, newline and backslash as \ooo.
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and len(field[i + 1:i + 4]) == 3 and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mounts():
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            parts = line.split()
            if len(parts) > 5:
                flags = 0
                for opt in parts[5].split(","):
                    flags |= KEPT_FLAGS.get(opt, 0)
                yield unescape(parts[4]), flags


def sandbox(spec):
    # Runs as PID 1 of the private PID and mount namespaces util-linux's unshare made (with
    # --fork, --kill-child, --mount-proc and private propagation). Refuse to touch mounts
    # anywhere else: in the host's namespace these remounts would hit the real machine.
    try:
        own = os.readlink("/proc/self/ns/mnt")
    except OSError:
        own = None
    if os.getpid() != 1 or own is None or own == spec["hostMountNs"]:
        fail("not inside a private mount and PID namespace")
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError) as e:
        fail("ctypes is not usable in this interpreter: " + str(e))

    def mount(source, target, fstype, flags, data=None):
        enc = lambda s: None if s is None else os.fsencode(s)
        if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e), target)

    try:
        for p in spec["hide"]:
            if os.path.isdir(p):
                mount("yantra-hidden", p, "tmpfs", MS_RDONLY, "size=4k,mode=0555")
            elif os.path.lexists(p):
                mount("/dev/null", p, None, MS_BIND)
        for mp, kept in list(mounts()):
            if mp == "/proc" or mp.startswith("/proc/") or mp == "/dev/pts":
                continue
            try:
                mount(None, mp, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept)
            except OSError:
                # The root must become read-only or the sandbox is void.
                if mp == "/":
                    raise
        mount("yantra-shm", "/dev/shm", "tmpfs", 0, "size=64m,mode=1777")
        for rw in (spec["workspace"], spec["tmp"]):
            mount(rw, rw, None, MS_BIND)
            mount(None, rw, None, MS_REMOUNT | MS_BIND)
        # The cwd still points into the old read-only mount; re-enter the writable bind.
        os.chdir(spec["workspace"])
    except OSError as e:
        fail("cannot build the sandbox: " + str(e))


def run_module(module, args):
    import runpy
    sys.argv = [module] + list(args)
    # As with "python -m": the cwd is the first import location.
    sys.path[0] = os.getcwd()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    except SystemExit as e:
        code = e.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stderr.write(str(code) + "\n")
        return 1


def precompile(source):
    # The plugin's hooks are imported after the filesystem turned read-only, where Python cannot
    # cache their bytecode; compile them here, once per code dir and interpreter, so later runs
    # load it.
    tag = sys.implementation.cache_tag
    if tag is None or sys.dont_write_bytecode or sys.flags.optimize or not os.path.exists(source):
        return
    base = os.path.splitext(os.path.basename(source))[0]
    cached = os.path.join(os.path.dirname(source), "__pycache__", base + "." + tag + ".pyc")
    if os.path.exists(cached):
        return
    try:
        import py_compile
        py_compile.compile(source, cfile=cached, doraise=True)
    except Exception:
        pass


def main():
    # The spec is the last argument: "python -c BOOT DIR SPEC" or "python yantra_launch.py SPEC".
    spec = json.loads(sys.argv[-1])
    set_limits(spec.get("limits", {}))
    precompile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "yantra_pytest_hooks.py"))
    if spec.get("sandbox") is not None:
        sandbox(spec["sandbox"])
    else:
        os.chdir(spec["cwd"])
    if spec.get("probe"):
        sys.stdout.write("yantra-sandbox-ok\n")
        return 0
    status = None
    for step in spec["steps"]:
        code = run_module(step["module"], step["args"])
        out = step.get("removeOnFailure")
        if code != 0 and out:
            try:
                os.unlink(out)
            except OSError:
                pass
        if status is None:
            status = code
        sys.stdout.flush()
        sys.stderr.flush()
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
`;
