"""Starts the GUI: application set-up (font, Chinese Qt translation, names), first start, error hook.

``run_gui(path)`` is what ``jixiao`` / ``jixiao FILE.jxdb`` calls. Everything the app writes goes
to the user's documents folder (workbooks), the app-data folder (settings: small, may roam with a
Windows domain profile) or the local app-data folder (backups and the error log: never roaming, so a
domain log-on does not copy ten backups of every workbook), never beside the program.

Start-up must not fail or freeze on a PC where "Documents" is unwritable (Defender's controlled
folder access) or unreachable (redirected to a share that is offline): the folder is probed with a
time limit and, failing that, workbooks go to the local app-data folder, and the window says so.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QWidget

from desktop import places
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
        force_light_palette(app)
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


def force_light_palette(app: QApplication) -> None:
    """Keep the light look whatever the system's colour scheme.

    The forms paint fixed pale backgrounds (warnings, computed cells) and take the text colour from the
    palette: under Windows 11 dark mode (or a dark UOS/Kylin theme) that would be white text on pale
    yellow. Qt 6.8+ can be asked for the light scheme; where the palette is still dark after that (an
    older Qt, or a platform theme that ignores the request) the Fusion style's light palette is used.
    """
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        hints.setColorScheme(Qt.ColorScheme.Light)
    if is_dark(app.palette()):
        fusion = QStyleFactory.create("Fusion")
        app.setStyle(fusion)
        app.setPalette(fusion.standardPalette())


def is_dark(palette: QPalette) -> bool:
    """Whether text is lighter than the window behind it (a dark colour scheme)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return text.lightness() > window.lightness()


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


def _writable_dir(location: QStandardPaths.StandardLocation) -> Path:
    """A standard folder of the app, created if missing; the system's temporary folder if that fails."""
    folder = Path(QStandardPaths.writableLocation(location))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a broken profile: the program still starts (settings then do not persist)
        folder = Path(tempfile.gettempdir()) / ORGANIZATION_NAME
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def app_data_dir() -> Path:
    """The app-data folder (settings), created if missing: ``%APPDATA%\\jixiao\\jixiao`` on Windows."""
    return _writable_dir(QStandardPaths.StandardLocation.AppDataLocation)


def local_data_dir() -> Path:
    """The local app-data folder (backups, error log), created if missing: ``%LOCALAPPDATA%\\jixiao\\jixiao``.

    On Linux it is the same folder as ``app_data_dir()`` (``~/.local/share/jixiao/jixiao``).
    """
    return _writable_dir(QStandardPaths.StandardLocation.AppLocalDataLocation)


def backups_dir() -> Path:
    """Where the automatic backups go (local, not roaming)."""
    return local_data_dir() / "backups"


@dataclass(frozen=True)
class DocumentsPlace:
    """The folder for workbooks, and (when the documents folder could not be used) why not."""

    folder: Path
    notice: str | None = None


_documents_cache: dict[str, DocumentsPlace] = {}


def documents_place(timeout: float | None = None) -> DocumentsPlace:
    """The app's folder in the user's documents folder (``预算绩效``), created and proved writable.

    When that fails, or the folder does not answer within ``timeout`` seconds, the folder is
    ``预算绩效`` in the local app-data folder, with a notice saying why. The answer is kept for the
    session (asked again only if the documents location changes).
    """
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    cached = _documents_cache.get(docs)
    if cached is not None:
        return cached
    folder = Path(docs) / DOCUMENTS_FOLDER
    problem: str | None = None
    try:
        places.usable_folder(folder, timeout)
    except places.NoAnswer:
        problem = f"“文档”文件夹（{docs}）没有响应（可能位于已断开的网络位置）"
    except OSError as exc:
        from desktop.models.errors import describe_os_error

        problem = f"无法在“文档”文件夹中建立 {folder}：{describe_os_error(exc)}"
    if problem is None:
        place = DocumentsPlace(folder)
    else:
        fallback = local_data_dir() / DOCUMENTS_FOLDER
        fallback.mkdir(parents=True, exist_ok=True)
        place = DocumentsPlace(fallback, f"{problem}。示例工作簿和新建的工作簿将放在 {fallback}。")
    _documents_cache[docs] = place
    return place


def documents_dir() -> Path:
    """The folder for workbooks: ``文档/预算绩效``, or its fallback (``documents_place``)."""
    return documents_place().folder


def app_settings() -> QSettings:
    """The app's settings, an INI file in the app-data folder."""
    return QSettings(str(app_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def error_log_path() -> Path:
    """Where unexpected errors are logged (local app data)."""
    return local_data_dir() / "error.log"


def move_roaming_backups() -> None:
    """Move backups an earlier version kept in the roaming app-data folder to the local one (once)."""
    old = app_data_dir() / "backups"
    new = backups_dir()
    if old == new or not old.is_dir():
        return
    try:
        new.mkdir(parents=True, exist_ok=True)
        for item in old.iterdir():
            if not (new / item.name).exists():
                shutil.move(str(item), str(new / item.name))
        shutil.rmtree(old, ignore_errors=True)
    except OSError:  # kept where they are; never worth failing a start for
        return


# ---- first start ------------------------------------------------------------------------------


def copy_sample_workbook() -> Path:
    """Create the editable sample workbook in the documents folder (kept if it is already there)."""
    target = documents_dir() / SAMPLE_FILE_NAME
    if not target.exists():
        from desktop.models.storage import store

        store.import_json(str(resource_path(*SAMPLE_WORKBOOK)), str(target))
    return target


def startup_path(path: str | None, settings: QSettings, timeout: float | None = None) -> str:
    """The workbook to open: the one asked for, else the last one, else (first start) the sample copy.

    The last workbook's existence is checked with a time limit (a share that is offline would
    freeze the window for the network time-out): no answer is a ``UserError`` naming it.
    """
    if path:
        return os.path.abspath(path)
    last = settings.value("last_workbook", "", str)
    if isinstance(last, str) and last:
        exists = places.exists_within(last, timeout)
        if exists is None:
            from desktop.models.errors import UserError

            raise UserError(
                f"上次打开的工作簿所在的位置没有响应：{last}\n网络共享可能已断开。"
                "请确认网络连接后，从“最近打开”再打开它。"
            )
        if exists:
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
    once (before the storage layer is even imported) and fills a moment later. Python's cyclic garbage
    collector is off from here until the workbook's first form has painted (``after_paint.hold_gc``).
    """
    from desktop.views.after_paint import hold_gc, release_gc

    hold_gc()  # released once the start workbook is open (which holds it on until its first paint)
    try:
        window = _show_main_window()
    except BaseException:
        release_gc()
        raise

    def open_start_workbook() -> None:
        try:
            _open_start_workbook(window, path)
        finally:
            release_gc()
            if window.statusBar().currentMessage() == OPENING:
                window.statusBar().clearMessage()  # the work is done: its status text goes with it

    if defer:
        window.statusBar().showMessage(OPENING)
        QCoreApplication.processEvents()  # paint the window now; the workbook follows
        QTimer.singleShot(0, open_start_workbook)
    else:
        open_start_workbook()
    return window


def _show_main_window() -> MainWindow:
    """The main window, shown (the start page until a workbook opens)."""
    from desktop.views.main_window import MainWindow

    settings = app_settings()
    move_roaming_backups()
    place = documents_place()
    window = MainWindow(settings, documents_dir=str(place.folder), data_dir=str(local_data_dir()))
    window.show()
    if place.notice is not None:
        # Said once in a box per new reason, and in the status bar at every start.
        if settings.value("documents_notice", "", str) != place.notice:
            settings.setValue("documents_notice", place.notice)
            QTimer.singleShot(0, lambda: window.show_error(place.notice or ""))
        else:
            QTimer.singleShot(0, lambda: window.show_message(place.notice or ""))
    return window


def _open_start_workbook(window: MainWindow, path: str | None) -> None:
    """Open the workbook to start with (``startup_path``); `jixiao table.xlsx` imports into the workbook a
    plain start would open (an .xlsx is not a workbook)."""
    excel = path if path is not None and path.lower().endswith((".xlsx", ".xls")) else None
    try:
        target = startup_path(None if excel else path, window.settings)
    except Exception as exc:  # first start could not write the sample: the window stays usable
        window.show_error(_message_of(exc))
        return
    window.open_path(target)
    if excel is not None and window.session is not None:
        window.open_path(os.path.abspath(excel))


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
