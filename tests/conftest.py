"""Test set-up: headless Qt, and the shared fixtures of tests/helpers/fixtures.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.network_guard"]
