/**
 * The pytest plugin the runner loads with `-p yantra_pytest_plugin`. It is embedded as text so
 * the built package needs no data files. It does three things JUnit cannot:
 * - marks non-strict xpasses (JUnit reports them as plain passes);
 * - appends one JSON line per test phase to a progress file, so a run killed by the timeout
 *   still says which tests finished and which one was running;
 * - switches coverage.py's context to the node id when `PYTEST_YANTRA_CONTEXTS=1`, giving
 *   per-test line coverage for the keep rule of generated tests.
 * It also gives pytest's JUnit writer a fast path for plain text (same output, less start-up),
 * and drops pytest's FAILURES section from the terminal output (the report reads failures from JUnit).
 */
export const PLUGIN_MODULE = 'yantra_pytest_plugin';

export const PLUGIN_SOURCE = `
import json
import os

import pytest

_PROGRESS = os.environ.get("PYTEST_YANTRA_PROGRESS")
_CONTEXTS = os.environ.get("PYTEST_YANTRA_CONTEXTS") == "1"


_progress_fd = None


def _emit(line):
    # One O_APPEND write per record: it reaches the file whole, even if the run is killed next.
    global _progress_fd
    if not _PROGRESS:
        return
    if _progress_fd is None:
        _progress_fd = os.open(_PROGRESS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(_progress_fd, line.encode("utf-8", "surrogateescape"))


def _switch(context):
    try:
        import coverage
    except ImportError:
        return
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(context)


def pytest_runtest_logstart(nodeid, location):
    _emit('{"event": "start", "nodeid": %s}\\n' % json.dumps(nodeid))


if _CONTEXTS:
    # Only registered when wanted: a hook wrapper costs a little on every test.
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        _switch(item.nodeid)
        yield
        _switch("")


def _fast_xml_escape():
    # pytest's bin_xml_escape compiles a regex over most of Unicode on first use (about 5 ms,
    # a fixed cost of --junitxml). Strings made only of tab, newline, CR and printable ASCII
    # come back unchanged from it, so answer those directly and leave the rest to pytest.
    try:
        from _pytest import junitxml
    except ImportError:
        return
    original = getattr(junitxml, "bin_xml_escape", None)
    if original is None:
        return
    import re
    plain = re.compile("[\\t\\n\\r\\x20-\\x7e]*").fullmatch

    def bin_xml_escape(arg):
        text = str(arg)
        return text if plain(text) else original(text)

    junitxml.bin_xml_escape = bin_xml_escape


_fast_xml_escape()


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # The typed report takes every failure's message and traceback from JUnit; pytest's FAILURES
    # section would render each traceback a second time for a terminal nobody reads (about 10%
    # of a run with many failures). Only that section goes: the ERRORS section (collection and
    # fixture errors), warnings, the short summary and the totals line stay in the output, which
    # diagnosis and runnerError.outputTail read.
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and hasattr(reporter, "summary_failures"):
        reporter.summary_failures = _no_failures_section


def _no_failures_section():
    return None


_items = {}


def pytest_collection_modifyitems(items):
    # Remembered once here so the per-test hooks below stay plain functions: a hook wrapper
    # around every makereport call costs noticeably on large suites.
    _items.update((item.nodeid, item) for item in items)


def pytest_runtest_logreport(report):
    if report.when == "call":
        # A non-strict xpass reaches JUnit as a plain pass; JUnit copies the item's user
        # properties when the teardown report is made, which comes after this.
        if report.passed and hasattr(report, "wasxfail"):
            item = _items.get(report.nodeid)
            if item is not None:
                item.user_properties.append(("yantra_outcome", "xpass"))
    elif report.when == "teardown":
        _emit('{"event": "report", "nodeid": %s, "when": "teardown", "outcome": %s}\\n' % (json.dumps(report.nodeid), json.dumps(report.outcome)))
`;
