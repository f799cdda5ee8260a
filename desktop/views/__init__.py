"""The Qt user interface: presents and edits the domain objects of desktop.models."""

from desktop.views import qtfix

qtfix.install()  # before any view emits a signal (PySide6 6.12 reference-count bug, see qtfix.py)
