"""Tests of desktop.reports.deferred_re: ReportLab's URL pattern is deferred, and behaves as compiled."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from desktop.reports.deferred_re import URI_FLAGS, URI_PATTERN, DeferredPattern

ROOT = Path(__file__).resolve().parents[2]
URLS = [
    "http://example.com/a?b=1",
    "https://例子.测试/路径",
    "ftp://10.0.0.1:21/x",
    "mailto:x",
    "not a url",
    "HTTP://A.B",
]


def test_a_new_process_imports_reportlab_with_the_pattern_deferred() -> None:
    script = (
        "import desktop.reports\n"
        "from reportlab.platypus import paragraph\n"
        "from desktop.reports.deferred_re import DeferredPattern\n"
        "print(type(paragraph.uri_pat) is DeferredPattern, paragraph.uri_pat._compiled is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]  # ReportLab's pattern unchanged, not compiled at import


def test_the_stand_in_matches_as_the_compiled_pattern() -> None:
    real = re.compile(URI_PATTERN, URI_FLAGS)
    deferred = DeferredPattern(URI_PATTERN, URI_FLAGS)
    assert deferred._compiled is None
    for url in URLS:
        ours, theirs = deferred.match(url), real.match(url)
        assert (ours and ours.groups()) == (theirs and theirs.groups())
    assert (deferred.pattern, deferred.flags, deferred.groups) == (real.pattern, real.flags, real.groups)
