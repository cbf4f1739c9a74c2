"""Fixtures for the end-to-end scenarios: one stack (bot, Playground, Chromium) per module.

Without Node, Chromium or the npm packages in e2e/ the scenarios are skipped with the reason;
with ``REQUIRE_E2E=1`` (set by .ci/run) that is a failure instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.e2e.stack import ARTIFACTS, Stack, missing_prerequisites
from tests.e2e.ui import Ui


class Progress:
    """Which scenarios passed: a later scenario that builds on a failed one is skipped, not failed twice."""

    def __init__(self) -> None:
        self.passed: set[str] = set()

    def needs(self, *names: str) -> None:
        missing = [n for n in names if n not in self.passed]
        if missing:
            pytest.skip(f"needs the scenario(s) {', '.join(missing)}, which did not pass")


@pytest.fixture(scope="module")
def e2e_stack():
    reason = missing_prerequisites()
    if reason:
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(f"end-to-end tests required (REQUIRE_E2E=1) but cannot run: {reason}")
        pytest.skip(f"end-to-end tests skipped: {reason}")
    for old in ("screenshots", "docs-screenshots", "cards"):
        shutil.rmtree(ARTIFACTS / old, ignore_errors=True)
    stack = Stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def ui(e2e_stack):
    ui = Ui(e2e_stack)
    ui.open()
    return ui


@pytest.fixture(scope="module")
def progress():
    return Progress()
