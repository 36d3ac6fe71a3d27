/**
 * A tiny Python supervisor that starts Chromium as its child. Why Python and not a direct spawn:
 * - it makes itself a child subreaper (prctl), so Chromium's zygotes and the double-forked
 *   crashpad handlers are reaped by it instead of becoming zombies under a PID 1 that may not
 *   reap (as on our CI VMs);
 * - it watches its stdin: EOF (the Node parent exited or was killed) or a `q` line shuts the
 *   browser down gracefully (SIGTERM), then SIGKILLs every remaining descendant and reaps them.
 * argv: python3 -c SCRIPT <profile dir to delete at exit> <chromium> [flags...]
 */
export const SUPERVISOR_SCRIPT = String.raw`
import ctypes, os, select, shutil, signal, sys, time
try:
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except Exception:
    pass
me = os.getpid()
profile = sys.argv[1]
argv = sys.argv[2:]
browser = os.fork()
if browser == 0:
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
sys.stdout.write("supervisor %d browser %d\n" % (me, browser))
sys.stdout.flush()

def children():
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == me:
            out.append(int(name))
    return out

def reap():
    global browser_status
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid == browser:
            browser_status = status

browser_status = None
while browser_status is None:
    ready, _, _ = select.select([0], [], [], 0.1)
    if ready:
        data = os.read(0, 64)
        if not data or b"q" in data:
            break
    reap()

if browser_status is None:
    try:
        os.kill(browser, signal.SIGTERM)
    except ProcessLookupError:
        pass
deadline = time.monotonic() + 2.0
while time.monotonic() < deadline:
    reap()
    if browser_status is not None and not children():
        break
    time.sleep(0.02)
for _ in range(50):
    left = children()
    if not left:
        break
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.02)
    reap()
reap()
# The profile goes too, so even a killed parent leaves no temp dir behind.
shutil.rmtree(profile, ignore_errors=True)
code = 0
if browser_status is not None:
    code = os.waitstatus_to_exitcode(browser_status)
sys.exit(code if 0 <= code < 256 else 1)
`;
