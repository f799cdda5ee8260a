"""Printable PDF reports (ReportLab) of the forms, reading the domain model only.

ReportLab is imported at the first use of the PDF export (``export_pdf``, the print fonts), not with
the package: the window imports ``desktop.reports.template`` at start-up and needs none of it there.
Before it is, its costliest regular expression is deferred to its first use (``deferred_re``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.reports.deferred_re import defer_reportlab_uri_pattern

defer_reportlab_uri_pattern()

if TYPE_CHECKING:
    from desktop.reports.fonts import PrintFont, available_print_fonts
    from desktop.reports.pdf import ExportResult, export_pdf

__all__ = ["ExportResult", "PrintFont", "available_print_fonts", "export_pdf"]

_FROM = {"PrintFont": "fonts", "available_print_fonts": "fonts", "ExportResult": "pdf", "export_pdf": "pdf"}


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _FROM[name] == "fonts":
        from desktop.reports import fonts

        return getattr(fonts, name)
    from desktop.reports import pdf

    return getattr(pdf, name)
