/**
 * The pytest plugin the runner loads with `-p yantra_pytest_plugin`. It is embedded as text so
 * the built package needs no data files. It:
 * - when `PYTEST_YANTRA_JUNIT_WRITER=1`, serves pytest's `--junitxml=PATH` option itself: it writes
 *   the XML to PATH in pytest's xunit1 layout (testsuite, testcase with classname, name, file,
 *   line and time, failure/error/skipped children, properties), with the same content pytest's
 *   own writer gives, at about a third of its cost (no element tree, each testcase rendered once
 *   as text), and pytest's writer is not created;
 * - marks non-strict xpasses with a `yantra_outcome=xpass` property (JUnit reports them as passes);
 * - keeps the running test's node id in a memory-mapped progress file, so a run killed by the
 *   timeout still says which test it interrupted;
 * - switches coverage.py's context to the node id when `PYTEST_YANTRA_CONTEXTS=1`, giving
 *   per-test line coverage for the keep rule of generated tests;
 * - drops pytest's FAILURES section from the terminal output (the report reads failures from JUnit).
 */
export const PLUGIN_MODULE = 'yantra_pytest_plugin';

/** The module holding the plugin's hooks; {@link PLUGIN_MODULE} only re-exports them. */
export const HOOKS_MODULE = 'yantra_pytest_hooks';

/**
 * pytest assertion-rewrites every plugin named with `-p`: it parses and recompiles the module and
 * caches the result beside it, which it cannot do in the read-only sandbox, so it would redo that
 * on every run (several milliseconds for the hooks). The named module is therefore this two-line
 * shim; the hooks module is imported normally, and the launcher precompiles its bytecode.
 */
export const PLUGIN_SHIM_SOURCE = `"""The Yantra runner's pytest plugin. PYTEST_DONT_REWRITE"""
from ${HOOKS_MODULE} import *  # noqa: F401,F403
`;

export const PLUGIN_SOURCE = String.raw`
import os
import re
import time

import pytest

_PROGRESS = os.environ.get("PYTEST_YANTRA_PROGRESS")
_JUNIT_WRITER = os.environ.get("PYTEST_YANTRA_JUNIT_WRITER") == "1"
_JUNIT = None
_CONTEXTS = os.environ.get("PYTEST_YANTRA_CONTEXTS") == "1"


# The progress file is a shared memory map, not a log: byte 0 is "R" while a test runs and "I"
# between tests, bytes 4-7 the running node id's length (little-endian), the id from byte 8. A
# run killed by the timeout leaves it in the page cache, naming the test it interrupted, and
# keeping it up costs no system call per test (two write(2)s per test cost about 10% of a
# 1,000-test run on our machines).
_PROGRESS_SIZE = 1 << 16
_progress_map = None
_running = None


def _progress():
    global _progress_map, _PROGRESS
    if _progress_map is None and _PROGRESS:
        try:
            import mmap
            fd = os.open(_PROGRESS, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.ftruncate(fd, _PROGRESS_SIZE)
                _progress_map = mmap.mmap(fd, _PROGRESS_SIZE)
            finally:
                os.close(fd)
        except (ImportError, OSError, ValueError):
            # Without it a timeout still reports, only without the test's name.
            _PROGRESS = None
    return _progress_map


def _started(nodeid):
    global _running
    progress = _progress()
    if progress is None:
        return
    data = nodeid.encode("utf-8", "surrogateescape")[:_PROGRESS_SIZE - 8]
    # Marked idle while the id is rewritten, so a kill in between never shows half an id.
    progress[0:1] = b"I"
    progress[4:8] = len(data).to_bytes(4, "little")
    progress[8:8 + len(data)] = data
    progress[0:1] = b"R"
    _running = nodeid


def _finished(nodeid):
    global _running
    if _running == nodeid and _progress_map is not None:
        _progress_map[0:1] = b"I"
        _running = None


def _switch(context):
    try:
        import coverage
    except ImportError:
        return
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(context)


def pytest_runtest_logstart(nodeid, location):
    _started(nodeid)


if _CONTEXTS:
    # Only registered when wanted: a hook wrapper costs a little on every test.
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        _switch(item.nodeid)
        yield
        _switch("")


_writing = False


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    global _writing, _JUNIT
    xmlpath = getattr(config.option, "xmlpath", None)
    if _JUNIT_WRITER and xmlpath:
        # Runs before pytest's junitxml plugin configures itself: with the option taken, pytest
        # creates no writer of its own, and this one writes to the path the option names (the
        # runner's --junitxml comes last on the command line, so a --junitxml in the project's
        # addopts cannot send the report into the workspace).
        _JUNIT = os.path.normpath(os.path.abspath(os.path.expanduser(xmlpath)))
        config.option.xmlpath = None
    # xdist workers send their reports to the controller, which writes the file.
    _writing = bool(_JUNIT) and not hasattr(config, "workerinput")


def pytest_sessionstart(session):
    global _suite_start
    _suite_start = time.perf_counter()
    # The typed report takes every failure's message and traceback from JUnit; pytest's FAILURES
    # section would render each traceback a second time for a terminal nobody reads (about 10%
    # of a run with many failures). Only that section goes: the ERRORS section (collection and
    # fixture errors), warnings, the short summary and the totals line stay in the output, which
    # diagnosis and runnerError.outputTail read.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and hasattr(reporter, "summary_failures"):
        reporter.summary_failures = _no_failures_section


def _no_failures_section():
    return None


# --- JUnit XML, as pytest's junitxml writes it (xunit1 family, duration "total") ---

_suite_start = None
_open = {}
_cases = []
_PLAIN = re.compile("[\t\n\r\x20-\x7e]*").fullmatch
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
try:
    # Already imported by pytest (a built-in plugin): its helpers keep names, messages and
    # escapes exactly as pytest's own writer makes them.
    from _pytest import junitxml as _pytest_junit
except ImportError:
    _pytest_junit = None
_bin_xml_escape = getattr(_pytest_junit, "bin_xml_escape", str)
_shorten = getattr(_pytest_junit, "shorten_message", None) or (lambda message: message)


def _mangle_fallback(nodeid):
    path, _, rest = nodeid.partition("::")
    return [re.sub(r"\.py$", "", path.replace("/", "."))] + [n for n in rest.split("::") if n]


_mangle = getattr(_pytest_junit, "mangle_test_address", None) or _mangle_fallback


def _legal(text):
    # Characters XML 1.0 cannot hold become #xNN, as pytest's bin_xml_escape does. Plain ASCII
    # (nearly every message) skips its regex, which is compiled over most of Unicode on first use.
    text = str(text)
    return text if _PLAIN(text) else str(_bin_xml_escape(text))


def _attr(text):
    return _legal(text).translate(_ATTR)


def _text(text):
    return _legal(text).translate(_TEXT)


def _crash(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr)


def _element(tag, message, text=None, kind=None):
    head = "<%s%s message=\"%s\"" % (tag, "" if kind is None else ' type="%s"' % kind, _attr(message))
    return head + " />" if text is None else "%s>%s</%s>" % (head, _text(text), tag)


def _drop_prefix(text, prefix):
    return text[len(prefix):] if text.startswith(prefix) else text


class _Case:
    __slots__ = ("nodeid", "location", "duration", "children", "properties", "xml")

    def __init__(self, nodeid, location):
        self.nodeid = nodeid
        self.location = location
        self.duration = 0.0
        self.children = []
        self.properties = []
        self.xml = None

    def render(self):
        if self.xml is None:
            names = list(_mangle(self.nodeid))
            attrs = 'classname="%s" name="%s"' % (_attr(".".join(names[:-1])), _attr(names[-1]))
            if self.location is not None:
                attrs += ' file="%s"' % _attr(self.location[0])
                if self.location[1] is not None:
                    attrs += ' line="%s"' % self.location[1]
            attrs += ' time="%.3f"' % self.duration
            body = "".join(self.children)
            if self.properties:
                body = "<properties>%s</properties>%s" % ("".join('<property name="%s" value="%s" />' % (_attr(n), _attr(v)) for n, v in self.properties), body)
            self.xml = "<testcase %s%s" % (attrs, ">%s</testcase>" % body if body else " />")
        return self.xml


def _case(report):
    case = _open.get(report.nodeid)
    if case is None:
        case = _open[report.nodeid] = _Case(report.nodeid, getattr(report, "location", None))
        _cases.append(case)
    return case


def pytest_runtest_logreport(report):
    when = report.when
    if _writing:
        case = _case(report)
        case.duration += getattr(report, "duration", 0.0) or 0.0
        if report.passed:
            # A non-strict xpass reaches JUnit as a plain pass.
            if when == "call" and hasattr(report, "wasxfail"):
                case.properties.append(("yantra_outcome", "xpass"))
        elif report.failed:
            if when == "call":
                if hasattr(report, "wasxfail"):
                    case.children.append(_element("skipped", "xfail-marked test passes unexpectedly"))
                else:
                    case.children.append(_element("failure", _shorten(_crash(report)), str(report.longrepr)))
            else:
                message = 'failed on %s with "%s"' % ("teardown" if when == "teardown" else "setup", _crash(report))
                case.children.append(_element("error", _shorten(message), str(report.longrepr)))
        elif report.skipped:
            if hasattr(report, "wasxfail"):
                case.children.append(_element("skipped", _drop_prefix(str(report.wasxfail), "reason: "), kind="pytest.xfail"))
            elif isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
                filename, lineno, reason = report.longrepr
                reason = _drop_prefix(str(reason), "Skipped: ")
                case.children.append(_element("skipped", reason, "%s:%s: %s" % (filename, lineno, reason), kind="pytest.skip"))
            else:
                case.children.append(_element("skipped", str(report.longrepr), kind="pytest.skip"))
        if when == "teardown":
            case.properties.extend((str(n), str(v)) for n, v in report.user_properties)
            del _open[report.nodeid]
            case.render()
    if when == "teardown":
        _finished(report.nodeid)


def pytest_collectreport(report):
    if not _writing or report.passed:
        return
    case = _case(report)
    if report.failed:
        case.children.append(_element("error", "collection failure", str(report.longrepr)))
    else:
        case.children.append(_element("skipped", "collection skipped", str(report.longrepr)))


def pytest_sessionfinish(session):
    if not _writing:
        return
    counts = {"failure": 0, "error": 0, "skipped": 0}
    body = []
    for case in _cases:
        for child in case.children:
            tag = child[1:child.index(" ")]
            if tag in counts:
                counts[tag] += 1
        body.append(case.render())
    elapsed = 0.0 if _suite_start is None else time.perf_counter() - _suite_start
    head = '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="%d" failures="%d" skipped="%d" tests="%d" time="%.3f">' % (
        counts["error"], counts["failure"], counts["skipped"], len(_cases), elapsed)
    # Written whole and renamed into place: a run killed meanwhile leaves no half file to parse.
    partial = _JUNIT + ".part"
    with open(partial, "w", encoding="utf-8") as f:
        f.write(head + "".join(body) + "</testsuite></testsuites>")
    os.replace(partial, _JUNIT)
`;
