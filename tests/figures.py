"""Figures the suites count as they run (routes x actors checked, payload cases, hostile
files...), summed over the xdist workers and printed at the end of `make test`.

A suite calls `figures.add("xss: field x payload cases", n)`. The summary line also says how many
tests of that suite failed, found from the test ids (the part before the first colon names the
suite's folder or file, see SUITES)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

_counts: Counter[str] = Counter()

# Figure prefix -> the test path whose failures the summary line reports.
SUITES = {
    "access": "tests/security/test_access",
    "xss": "tests/security/test_xss",
    "csrf": "tests/security/test_csrf",
    "uploads": "tests/unit/expenses/test_receipts",
    "sessions": "tests/security/test_sessions",
    "headers": "tests/security/test_headers",
    "logs": "tests/security/test_logs",
    "erasure": "tests/unit/accounts/test_personal_data",
    "crash drill": "tests/functional/core/test_crash_drill",
}


def add(name: str, count: int = 1) -> None:
    _counts[name] += count


class _Controller:
    """Collects what each xdist worker counted."""

    @pytest.hookimpl
    def pytest_testnodedown(self, node, error) -> None:  # noqa: ANN001
        raw = getattr(node, "workeroutput", {}).get("parole_figures")
        if raw:
            _counts.update(json.loads(raw))


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Controller(), "parole-figures-controller")


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        session.config.workeroutput["parole_figures"] = json.dumps(dict(_counts))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    if not _counts:
        return
    failed = [r.nodeid for r in terminalreporter.stats.get("failed", [])]
    errors = [r.nodeid for r in terminalreporter.stats.get("error", [])]
    terminalreporter.section("Parole security and reliability figures")
    for name in sorted(_counts):
        suite = SUITES.get(name.split(":", 1)[0].strip())
        line = f"{name}: {_counts[name]:,}"
        if suite:
            bad = sum(1 for nodeid in failed + errors if nodeid.startswith(suite))
            line += f"  ({bad} failed test{'s' if bad != 1 else ''})"
        terminalreporter.write_line(line)
