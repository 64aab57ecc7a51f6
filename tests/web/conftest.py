"""Fixtures of the web tests: pytest-playwright launches Debian's Chromium as this machine can run it."""

from __future__ import annotations

import pytest

from .chromium import CHROMIUM, LAUNCH_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch arguments for every browser test here."""
    return {"executable_path": CHROMIUM, "args": LAUNCH_ARGS}
