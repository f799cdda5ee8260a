"""ReportLab's one costly regular expression, compiled at its first use instead of at import.

``reportlab.platypus.paragraph`` compiles at import a URL pattern with ``re.IGNORECASE`` over the
characters U+00A1–U+FFFF: case-folding that range takes 35–80 ms, up to a sixth of a whole
``jixiao export --pdf`` process, for a pattern ReportLab uses only to hyphenate URLs (never in our
forms). ``defer_reportlab_uri_pattern`` puts a stand-in into the ``re`` module's cache under that
pattern's key before ReportLab is imported, so ReportLab's ``re.compile`` returns the stand-in,
which compiles the real pattern the first time it is used. Should ReportLab change its pattern or
Python its cache, nothing is deferred and the import simply costs what it did
(``tests/reports/test_deferred_re.py`` notices).
"""

from __future__ import annotations

import re
from typing import Any

# reportlab.platypus.paragraph.uri_pat as ReportLab 5.1 writes it, with its flags.
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(?:"
    "\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9](?:[a-z"
    "\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*"
    "\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?"
    "(?:[/?#][^\\s]*)?\\Z"
)
URI_FLAGS = re.IGNORECASE


class DeferredPattern:
    """A compiled pattern's stand-in: compiles the pattern when first used, then behaves as it."""

    def __init__(self, pattern: str, flags: int) -> None:
        """The pattern and flags ``re.compile`` was given."""
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The real compiled pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            # an empty group in front: the same pattern under another cache key than this stand-in's
            self._compiled = re.compile("(?:)" + self.pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def defer_reportlab_uri_pattern() -> None:
    """Cache a ``DeferredPattern`` for ReportLab's URL pattern (no effect once ReportLab is imported)."""
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, URI_PATTERN, int(URI_FLAGS)), DeferredPattern(URI_PATTERN, URI_FLAGS))
