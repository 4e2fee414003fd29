"""Fixtures of the studio's browser tests: one headless Chromium page per test module."""

from __future__ import annotations

import pytest
from studio_support import CHROMIUM, TIMEOUT_MS, browser_page


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page
