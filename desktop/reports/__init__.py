"""Printable PDF reports (ReportLab) of the forms, reading the domain model only."""

from desktop.reports.fonts import PrintFont, available_print_fonts
from desktop.reports.pdf import ExportResult, export_pdf

__all__ = ["ExportResult", "PrintFont", "available_print_fonts", "export_pdf"]
