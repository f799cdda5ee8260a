"""Starts the GUI: application set-up (font, Chinese Qt translation, names), first start, error hook.

``run_gui(path)`` is what ``jixiao`` / ``jixiao FILE.jxdb`` calls. Everything the app writes goes
to the user's documents folder (workbooks) or to the app-data folder (settings, error log), never
beside the program.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QStandardPaths, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.resources import FONT_FAMILY, FONT_FILE, SAMPLE_WORKBOOK, resource_path

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

ORGANIZATION_NAME = "jixiao"
APPLICATION_NAME = "jixiao"
DISPLAY_NAME = "预算绩效填报"
DOCUMENTS_FOLDER = "预算绩效"
SAMPLE_FILE_NAME = "示例工作簿.jxdb"
UI_POINT_SIZE = 10

# Kept alive for the application's lifetime (Qt holds only raw pointers to installed translators).
_translators: list[QTranslator] = []
_font_family: str | None = None


def setup_application(app: QCoreApplication) -> None:
    """Names, the bundled Chinese font as the UI font, and Qt's own zh_CN translation.

    Safe to call more than once (tests call it from a session fixture).
    """
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationName(APPLICATION_NAME)
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(DISPLAY_NAME)
        family = register_font()
        if family:
            font = QFont(family)
            font.setPointSize(UI_POINT_SIZE)
            app.setFont(font)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if not _translators:
        for name in ("qtbase_zh_CN",):
            translator = QTranslator(app)
            if translator.load(name, qt_translations_dir()):
                app.installTranslator(translator)
                _translators.append(translator)


def qt_translations_dir() -> str:
    """The folder of the Qt translations that ship with PySide6 (inside the bundle when frozen)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def register_font() -> str | None:
    """Register the bundled font once; returns its family name (None if the file is missing)."""
    global _font_family
    if _font_family is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path(*FONT_FILE)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            _font_family = FONT_FAMILY if FONT_FAMILY in families else families[0]
    return _font_family


# ---- where the app writes ---------------------------------------------------------------------


def app_data_dir() -> Path:
    """The app-data folder (settings, error log), created if missing."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def documents_dir() -> Path:
    """The app's folder in the user's documents folder (``预算绩效``), created if missing."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not docs:
        docs = str(Path.home())
    folder = Path(docs) / DOCUMENTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def app_settings() -> QSettings:
    """The app's settings, an INI file in the app-data folder."""
    return QSettings(str(app_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def error_log_path() -> Path:
    """Where unexpected errors are logged."""
    return app_data_dir() / "error.log"


# ---- first start ------------------------------------------------------------------------------


def copy_sample_workbook() -> Path:
    """Create the editable sample workbook in the documents folder (kept if it is already there)."""
    target = documents_dir() / SAMPLE_FILE_NAME
    if not target.exists():
        from desktop.models.storage import store

        store.import_json(str(resource_path(*SAMPLE_WORKBOOK)), str(target))
    return target


def startup_path(path: str | None, settings: QSettings) -> str:
    """The workbook to open: the one asked for, else the last one, else (first start) the sample copy."""
    if path:
        return os.path.abspath(path)
    last = settings.value("last_workbook", "", str)
    if isinstance(last, str) and last and os.path.exists(last):
        return last
    return str(copy_sample_workbook())


# ---- unexpected errors ------------------------------------------------------------------------

_in_hook = False


def log_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path | None:
    """Append an error with its traceback to the error log; returns the log path (None if unwritable)."""
    try:
        path = error_log_path()
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"---- {stamp}\n{text}\n")
        return path
    except OSError:
        return None


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Show an unexpected error as a Chinese message box (details go to the log, not the screen)."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    log = log_exception(exc_type, exc, tb)
    if _in_hook or QApplication.instance() is None:
        return
    _in_hook = True
    try:
        from desktop.models.errors import UserError

        if isinstance(exc, UserError):
            text = exc.message
        else:
            text = "程序出现了意外错误，刚才的操作可能没有完成。已保存的内容不受影响。"
            if log is not None:
                text += f"\n\n详细信息已记录在：{log}"
        box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, text, QMessageBox.StandardButton.Ok)
        active = QApplication.activeWindow()
        if isinstance(active, QWidget):
            box.setParent(active, box.windowFlags())
        box.exec()
    finally:
        _in_hook = False


def install_excepthook() -> None:
    """Route unhandled exceptions to ``excepthook`` (no traceback on screen)."""
    sys.excepthook = excepthook


# ---- running ----------------------------------------------------------------------------------


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up (an existing instance is reused)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv)
    setup_application(app)
    return app


def open_main_window(path: str | None, defer: bool = False) -> MainWindow:
    """Create and show the main window, then open the workbook to start with.

    With ``defer`` the workbook is opened on the event loop's first turn, so the window shows at
    once (before the storage layer is even imported) and fills a moment later.
    """
    from desktop.views.main_window import MainWindow

    settings = app_settings()
    window = MainWindow(settings, documents_dir=str(documents_dir()), data_dir=str(app_data_dir()))
    window.show()

    # `jixiao table.xlsx` imports into the workbook a plain start would open (an .xlsx is not a workbook).
    excel = path if path is not None and path.lower().endswith(".xlsx") else None

    def open_start_workbook() -> None:
        try:
            _open_start_workbook()
        finally:
            if window.statusBar().currentMessage() == OPENING:
                window.statusBar().clearMessage()  # the work is done: its status text goes with it

    def _open_start_workbook() -> None:
        try:
            target = startup_path(None if excel else path, settings)
        except Exception as exc:  # first start could not write the sample: the window stays usable
            window.show_error(_message_of(exc))
            return
        window.open_path(target)
        if excel is not None and window.session is not None:
            window.open_path(os.path.abspath(excel))

    if defer:
        window.statusBar().showMessage(OPENING)
        QCoreApplication.processEvents()  # paint the window now; the workbook follows
        QTimer.singleShot(0, open_start_workbook)
    else:
        open_start_workbook()
    return window


OPENING = "正在打开工作簿…"


def _message_of(exc: BaseException) -> str:
    from desktop.models.errors import UserError, describe_os_error

    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        return f"无法打开示例工作簿：{describe_os_error(exc)}"
    log_exception(type(exc), exc, exc.__traceback__)
    return "无法打开示例工作簿：程序内部错误（详情已写入日志）"


def _quit_when_shown(window: MainWindow) -> None:
    """Smoke-test hook (tests/benchmarks/bench_build.py): once the workbook shows, print the time and quit."""

    def check() -> None:
        if window.session is None or not window.isVisible():
            QTimer.singleShot(5, check)
            return
        QCoreApplication.processEvents()
        if sys.stdout is not None:
            print(f"SHOWN {time.time():.6f}", flush=True)
        QCoreApplication.quit()

    QTimer.singleShot(0, check)


def run_gui(path: str | None = None) -> int:
    """Run the desktop app (``jixiao`` / ``jixiao FILE.jxdb``); returns the exit status."""
    from desktop.display_check import display_problem

    problem = display_problem(os.environ)
    if problem is not None:
        if sys.stderr is not None:
            sys.stderr.write(problem + "\n")
        return 2
    app = create_application()
    install_excepthook()
    window = open_main_window(path, defer=True)
    if os.environ.get("JIXIAO_QUIT_WHEN_SHOWN") == "1":
        _quit_when_shown(window)
    status = app.exec()
    del window
    return int(status)
